package dev.adapterhub.engine.train.recipe;

import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link FineTune} produced.
 *
 * @param training        losses, evaluations and timings of the run
 * @param exportDirectory the exported adapter (or checkpoint, for full fine-tuning); null when none was asked for
 * @param seedExamples    the first training examples of the split (as many as asked for), e.g. for Trans-LoRA
 */
public record FineTuneResult(TrainingResult training, Path exportDirectory, List<PromptCompletion> seedExamples) {

    public FineTuneResult {
        seedExamples = List.copyOf(seedExamples);
    }

    /** The last evaluation, or null when nothing was held out. */
    public TrainingListener.Eval finalEval() {
        return training.finalEval();
    }
}
