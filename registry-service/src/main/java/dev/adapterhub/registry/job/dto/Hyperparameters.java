package dev.adapterhub.registry.job.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Training hyperparameters. In a request every field is optional (defaults in
 * {@code HyperparameterResolver}); in a job every field that applies to the method is filled in, and the
 * method-specific ones of other methods are absent.
 */
@Schema(name = "Hyperparameters")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hyperparameters(
        @Schema(description = "LoRA rank r; for SHIRA the per-layer budget K = r·(in+out). Default 8")
        Integer rank,
        @Schema(description = "LoRA alpha (scale alpha/r, or alpha/√r with rsLora). Default 2·rank. Not for SHIRA")
        Double alpha,
        @Schema(description = "Rank-stabilised scaling. Default false. Not for SHIRA") Boolean rsLora,
        @Schema(description = "PEFT-style module suffixes. Default q_proj, k_proj, v_proj, o_proj")
        List<String> targetModules,
        @Schema(description = "Peak learning rate. Default 2e-4") Double learningRate,
        @Schema(description = "Optimizer steps; exclusive with epochs") Integer steps,
        @Schema(description = "Passes over the training split; exclusive with steps. Default 1 when steps is absent")
        Integer epochs,
        @Schema(description = "Examples per micro-batch. Default 8") Integer batchSize,
        @Schema(description = "Micro-batches per optimizer step. Default 1") Integer gradientAccumulation,
        @Schema(description = "Linear warm-up steps. Default 0") Integer warmupSteps,
        @Schema(description = "Share of the dataset held out for evaluation, 0 to 0.5. Default 0.1")
        Double evalFraction,
        @Schema(description = "Evaluate every N steps (and at the end). Default: checkpointEvery") Integer evalEvery,
        @Schema(description = "Checkpoint to object storage every N steps. Default 50") Integer checkpointEvery,
        @Schema(description = "Longest tokenized example; longer ones lose prompt tokens from the front. Default 512")
        Integer maxSequenceLength,
        @Schema(description = "The frozen base model's weights while training: FLOAT32, or FLOAT16 (half the memory on "
                + "a GPU; activations, adapter weights and optimizer state stay FLOAT32). Default FLOAT32")
        String baseDtype,
        @Schema(description = "LORA_GA only: batches whose mean gradient initialises A and B. Default 8")
        Integer loraGaGradientBatches,
        @Schema(description = "SHIRA only: RANDOM, WEIGHT_MAGNITUDE, GRADIENT or SNIP. Default WEIGHT_MAGNITUDE")
        String shiraMaskType,
        @Schema(description = "Seed of initialisation, split and data order. Default 42") Long seed) {
}
