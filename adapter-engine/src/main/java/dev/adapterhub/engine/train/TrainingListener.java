package dev.adapterhub.engine.train;

import java.nio.file.Path;

/**
 * Progress callbacks of a {@link TrainingJob}, called on the training thread (keep them quick; hand off
 * anything slow such as publishing events).
 */
public interface TrainingListener {

    /** After preparation, before the first step. */
    default void onStart(Start start) {
    }

    default void onStep(Step step) {
    }

    default void onEval(Eval eval) {
    }

    default void onCheckpoint(Checkpoint checkpoint) {
    }

    default void onFinish(TrainingResult result) {
    }

    /**
     * @param method        method name
     * @param firstStep     0, or the step a resumed job continues from
     * @param totalSteps    steps of the whole job
     * @param trainable     number of trainable values
     * @param prepareMillis time spent preparing (LoRA-GA / LoRA-SB gradient estimate + SVD)
     * @param trainExamples training examples
     * @param evalExamples  held-out examples (all of them, also beyond the evaluation's limit)
     */
    record Start(String method, int firstStep, int totalSteps, long trainable, long prepareMillis, int trainExamples,
                 int evalExamples) {
    }

    /**
     * @param step            1-based number of the step just finished
     * @param loss            mean completion-token loss of this step's batch
     * @param learningRate    learning rate used
     * @param gradNorm        global gradient norm before clipping
     * @param tokensPerSecond real (non-padding) tokens processed per second in this step
     * @param progress        step / totalSteps
     * @param etaSeconds      estimate of the remaining time from the mean step time so far
     */
    record Step(int step, int totalSteps, double loss, double learningRate, double gradNorm, double tokensPerSecond,
                double progress, double etaSeconds, long stepMillis) {
    }

    /** @param exactMatch fraction of eval prompts whose greedy completion equals the reference exactly */
    record Eval(int step, double loss, double exactMatch, int examples) {
    }

    record Checkpoint(int step, Path directory) {
    }
}
