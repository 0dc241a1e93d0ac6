package dev.adapterhub.worker.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A job's resolved hyperparameters as the registry returns them: every field that applies to the job's method is
 * filled in (the registry owns the defaults), the method-specific ones of other methods are null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobHyperparameters(Integer rank, Double alpha, Boolean rsLora, List<String> targetModules,
                                 Double learningRate, Integer steps, Integer epochs, Integer batchSize,
                                 Integer gradientAccumulation, Integer warmupSteps, Double evalFraction,
                                 Integer evalEvery, Integer checkpointEvery, Integer maxSequenceLength,
                                 Integer loraGaGradientBatches, String shiraMaskType, Long seed) {
}
