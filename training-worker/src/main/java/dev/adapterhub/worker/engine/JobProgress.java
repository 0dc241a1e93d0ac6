package dev.adapterhub.worker.engine;

import java.nio.file.Path;

/**
 * What the rest of the worker hears from a training run, in its own terms (so that only this package knows the
 * engine). Called on the training thread; throwing from any callback stops the run before the adapter is exported.
 */
public interface JobProgress {

    /** After the method is prepared (or restored from a checkpoint), before the first step. */
    void started(Started started);

    void stepped(Step step);

    /** An evaluation on the held-out examples finished. */
    void evaluated(double loss, double exactMatch);

    /** A complete checkpoint of {@code step} steps was written to {@code directory}. */
    void checkpointed(int step, Path directory);

    /** Training ended; the adapter is exported next. */
    void trained();

    /** A phase outside the training steps began or ended (the transfer kit, a transfer's synthesis); a log line. */
    void phase(String message);

    /**
     * How far a phase outside the training steps is ({@code done} of {@code total} units, e.g. synthetic inputs
     * kept of the goal); reported throttled, with {@code message} for the log.
     */
    void phaseProgress(String phase, int done, int total, String message);

    /**
     * @param firstStep       0, or the step a resumed run continues from
     * @param trainableValues number of trained values
     * @param prepareMillis   time the method's preparation took (gradient estimate + SVD for LoRA-GA / LoRA-SB)
     */
    record Started(String method, int firstStep, int totalSteps, long trainableValues, long prepareMillis) {
    }

    /**
     * @param step            1-based number of the step just finished
     * @param tokensPerSecond real (non-padding) tokens per second in this step
     * @param etaSeconds      estimate of the remaining time
     */
    record Step(int step, int totalSteps, double loss, double learningRate, double tokensPerSecond,
                double etaSeconds) {
    }
}
