package dev.adapterhub.worker.registry;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished attempt hands in: the exported PEFT directory, the final metrics and seed examples.
 *
 * @param adapterDirectory holds {@code adapter_config.json} and {@code adapter_model.safetensors}
 */
public record Completion(Path adapterDirectory, List<Metric> metrics, List<SeedExample> seedExamples) {

    public record Metric(String name, double value, String split, Integer step) {
    }

    public record SeedExample(String prompt, String completion) {
    }
}
