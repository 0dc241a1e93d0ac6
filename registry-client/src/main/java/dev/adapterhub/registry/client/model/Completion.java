package dev.adapterhub.registry.client.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished attempt hands in: the exported PEFT directory, the final metrics and the transfer kit.
 *
 * @param adapterDirectory holds {@code adapter_config.json} and {@code adapter_model.safetensors}
 * @param seedExamples     the kit's seed examples; empty when the job opted out of the kit
 * @param trainingExamples how many examples trained the adapter (the version's lineage records it); may be null
 * @param kit              the kit's discriminator, or why there is none; null when the job opted out
 */
public record Completion(Path adapterDirectory, List<Metric> metrics, List<SeedExample> seedExamples,
                         Integer trainingExamples, Kit kit, String transferMethod) {

    /** The adapter's files, the parts of the multipart request (the discriminator has the same two). */
    public static final List<String> ADAPTER_FILES = List.of("adapter_config.json", "adapter_model.safetensors");

    /** A TRAINING job's hand-in. */
    public Completion(Path adapterDirectory, List<Metric> metrics, List<SeedExample> seedExamples,
                      Integer trainingExamples, Kit kit) {
        this(adapterDirectory, metrics, seedExamples, trainingExamples, kit, null);
    }

    /** Without a transfer kit: the job opted out, or the registry is asked for nothing more. */
    public Completion(Path adapterDirectory, List<Metric> metrics, List<SeedExample> seedExamples) {
        this(adapterDirectory, metrics, seedExamples, null, null, null);
    }

    /**
     * A TRANSFER job's hand-in: the version keeps its source's seeds, so none are sent.
     *
     * @param transferMethod COPY, TRANS_LORA or TRANS_LORA_UNFILTERED
     */
    public static Completion transfer(Path adapterDirectory, List<Metric> metrics, Integer trainingExamples,
                                      String transferMethod) {
        return new Completion(adapterDirectory, metrics, List.of(), trainingExamples, null, transferMethod);
    }

    /** One evaluation result (schema {@code MetricInput}). */
    public record Metric(String name, double value, String split, Integer step) {
    }

    /** A prompt/completion pair from the training data (schema {@code SeedExampleInput}). */
    public record SeedExample(String prompt, String completion) {
    }

    /**
     * The kit's discriminator (schema {@code TransferKitInput}, files as {@code kitFile} parts).
     *
     * @param discriminatorDirectory a PEFT LoRA on the job's base model; null when none was made
     * @param missingReason          why none was made; null when one was
     */
    public record Kit(Path discriminatorDirectory, int realInputs, int generatedInputs, double accuracyOnReal,
                      double accuracyOnGenerated, String missingReason) {

        public static Kit missing(String reason) {
            return new Kit(null, 0, 0, 0, 0, reason);
        }
    }
}
