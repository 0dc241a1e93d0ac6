package dev.adapterhub.engine.transfer;

import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.AttachedAdapter;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.Evaluator;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.TokenizerEncoder;
import dev.adapterhub.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Step 5 of a transfer: greedy exact match (and loss) of a base, alone or with an adapter, on an eval set. */
public final class TransferEvaluation {

    private TransferEvaluation() {
    }

    /** {@link #score(Path, Path, List, Placement)} on {@link Placement#preferred()}. */
    public static TrainingListener.Eval score(Path base, Path adapter, List<PromptCompletion> eval) throws IOException {
        return score(base, adapter, eval, Placement.preferred());
    }

    /** {@code adapter} null = the base alone; the base is loaded {@code where}. */
    public static TrainingListener.Eval score(Path base, Path adapter, List<PromptCompletion> eval, Placement where)
            throws IOException {
        try (LlamaModel model = where.load(base); TextTokenizer tokenizer = TextTokenizer.load(base)) {
            AttachedAdapter attached = adapter == null ? null : AttachedAdapter.attach(model, adapter, "evaluated");
            try (attached) {
                int maxLength = 256;
                return new Evaluator(model, new TokenizerEncoder(tokenizer).encodeAll(eval), 32,
                        tokenizer.padId() < 0 ? 0 : tokenizer.padId(), maxLength).evaluate(0, model.manager());
            }
        }
    }
}
