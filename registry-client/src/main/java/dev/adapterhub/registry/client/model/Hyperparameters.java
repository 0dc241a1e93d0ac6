package dev.adapterhub.registry.client.model;

import java.util.List;

/**
 * A job's resolved hyperparameters as the registry returns them: every field that applies to the job's method is
 * filled in (the registry owns the defaults), the method-specific ones of other methods are null.
 */
public record Hyperparameters(Integer rank, Double alpha, Boolean rsLora, List<String> targetModules,
                              Double learningRate, Integer steps, Integer epochs, Integer batchSize,
                              Integer gradientAccumulation, Integer warmupSteps, Double evalFraction,
                              Integer evalEvery, Integer checkpointEvery, Integer maxSequenceLength,
                              String baseDtype, Integer loraGaGradientBatches, String shiraMaskType, Long seed) {
}
