package dev.adapterhub.worker.engine;

import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingResult;

/** The engine's training callbacks, forwarded to a {@link JobProgress}. */
final class ProgressBridge implements TrainingListener {

    private final JobProgress progress;

    ProgressBridge(JobProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onStart(Start start) {
        progress.started(new JobProgress.Started(start.method(), start.firstStep(), start.totalSteps(),
                start.trainable(), start.prepareMillis()));
    }

    @Override
    public void onStep(Step step) {
        progress.stepped(new JobProgress.Step(step.step(), step.totalSteps(), step.loss(), step.learningRate(),
                step.tokensPerSecond(), step.etaSeconds()));
    }

    @Override
    public void onEval(Eval eval) {
        progress.evaluated(eval.loss(), eval.exactMatch());
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
        progress.checkpointed(checkpoint.step(), checkpoint.directory());
    }

    @Override
    public void onFinish(TrainingResult result) {
        progress.trained();
    }
}
