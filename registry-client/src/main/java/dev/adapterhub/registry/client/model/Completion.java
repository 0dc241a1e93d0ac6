package dev.adapterhub.registry.client.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished attempt hands in: the exported PEFT directory, the final metrics and seed examples.
 *
 * @param adapterDirectory holds {@code adapter_config.json} and {@code adapter_model.safetensors}
 */
public record Completion(Path adapterDirectory, List<Metric> metrics, List<SeedExample> seedExamples) {

    /** The adapter's files, the parts of the multipart request. */
    public static final List<String> ADAPTER_FILES = List.of("adapter_config.json", "adapter_model.safetensors");

    /** One evaluation result (schema {@code MetricInput}). */
    public record Metric(String name, double value, String split, Integer step) {
    }

    /** A prompt/completion pair from the training data (schema {@code SeedExampleInput}). */
    public record SeedExample(String prompt, String completion) {
    }
}
