package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/** Data of {@code dev.adapterhub.training.job.progress}; metrics the worker did not report are omitted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobProgress(UUID jobId, int attempt, int step, int totalSteps, double percent, Double loss,
                                  Double learningRate, Double tokensPerSecond, Double etaSeconds, Double evalLoss,
                                  Double evalExactMatch, Integer checkpointStep, Phase phase) {

    /** What the job is doing (synthesis, training…) and how many of the phase's units are done. */
    public record Phase(String name, int done, int total) {
    }
}
