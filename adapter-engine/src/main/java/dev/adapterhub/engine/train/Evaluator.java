package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.GenerationResult;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Held-out loss (completion tokens only) and exact-match accuracy: the greedy continuation of each prompt,
 * as many tokens as the reference completion has (its EOS included), must equal the reference.
 *
 * <p>Exact match is read off the same teacher-forced forward as the loss: greedy decoding reproduces the reference
 * if and only if, at every completion position, the most likely next token given the reference prefix is the
 * reference token (by induction, the generated prefix is then the reference prefix). One forward per batch instead
 * of one per generated token. Rows whose prompt {@link HostBatch#collate} shortened are decoded greedily with the
 * {@link Generator} (KV cache), since their teacher-forced context is not the whole prompt.
 */
public final class Evaluator {

    private final LlamaModel model;
    private final List<TokenizedExample> examples;
    private final int batchSize;
    private final int padId;
    private final int maxLength;

    public Evaluator(LlamaModel model, List<TokenizedExample> examples, int batchSize, int padId, int maxLength) {
        this.model = model;
        this.examples = List.copyOf(examples);
        this.batchSize = Math.max(1, batchSize);
        this.padId = padId;
        this.maxLength = maxLength;
    }

    public int size() {
        return examples.size();
    }

    /** Runs both measures with autograd off; {@code step} only labels the result. */
    public TrainingListener.Eval evaluate(int step, NDManager parent) {
        return run(step, parent, true);
    }

    /**
     * Mean completion-token loss only, with autograd off: for long documents, where exact match says little and
     * rows that {@link HostBatch#collate} shortens would be decoded greedily, token by token.
     */
    public double loss(NDManager parent) {
        return run(0, parent, false).loss();
    }

    private TrainingListener.Eval run(int step, NDManager parent, boolean exactMatch) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = parent.newSubManager()) {
            double nll = 0;
            long tokens = 0;
            int correct = 0;
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<TokenizedExample> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
                try (NDManager batchManager = manager.newSubManager()) {
                    HostBatch batch = HostBatch.collate(chunk, padId, maxLength);
                    HostBatch.DeviceBatch db = batch.toDevice(batchManager, model.manager().getDevice());
                    NDArray logits = model.forward(db.inputIds());
                    NDArray sum = MaskedCrossEntropy.sum(logits, db.targets(), db.lossMask(), 1.0);
                    nll += sum.getFloat();
                    tokens += batch.lossTokens();
                    if (exactMatch) {
                        long[] predicted = logits.argMax(-1).toLongArray();
                        for (boolean match : exactMatches(chunk, batch, predicted)) {
                            correct += match ? 1 : 0;
                        }
                    }
                }
            }
            double loss = tokens == 0 ? Double.NaN : nll / tokens;
            double accuracy = examples.isEmpty() || !exactMatch ? Double.NaN : (double) correct / examples.size();
            return new TrainingListener.Eval(step, loss, accuracy, examples.size());
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * Whether each row's greedy continuation equals its completion, from the teacher-forced predictions
     * {@code predicted [rows * length]} (argmax of each position's logits) of {@code batch}.
     */
    private boolean[] exactMatches(List<TokenizedExample> chunk, HostBatch batch, long[] predicted) {
        boolean[] match = new boolean[chunk.size()];
        List<Integer> shortened = new ArrayList<>();
        for (int b = 0; b < chunk.size(); b++) {
            int scored = 0;
            boolean all = true;
            for (int t = b * batch.length(); t < (b + 1) * batch.length(); t++) {
                if (batch.lossMask()[t] == 1f) {
                    scored++;
                    all &= predicted[t] == batch.targets()[t];
                }
            }
            TokenizedExample e = chunk.get(b);
            if (e.length() <= maxLength + 1 && scored == e.completion().length) {
                match[b] = all;
            } else {
                shortened.add(b);
            }
        }
        if (!shortened.isEmpty()) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int b : shortened) {
                requests.add(GenerationRequest.greedy(chunk.get(b).prompt(), chunk.get(b).completion().length));
            }
            List<GenerationResult> generated = new Generator(model).generateBatch(requests);
            for (int k = 0; k < shortened.size(); k++) {
                match[shortened.get(k)] = Arrays.equals(chunk.get(shortened.get(k)).completion(),
                        generated.get(k).tokenIds());
            }
        }
        return match;
    }
}
