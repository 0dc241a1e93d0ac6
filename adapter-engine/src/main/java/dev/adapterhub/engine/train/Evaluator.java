package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.adapterhub.engine.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Held-out loss (completion tokens only) and exact-match accuracy: the greedy continuation of each prompt,
 * as many tokens as the reference completion has (its EOS included), must equal the reference.
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
     * Mean completion-token loss only, with autograd off: for long completions, where greedy exact match
     * (no KV cache) would cost far more than the loss.
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
                        correct += countExactMatches(chunk, batchManager);
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

    private int countExactMatches(List<TokenizedExample> chunk, NDManager manager) {
        List<int[]> prompts = new ArrayList<>();
        int longest = 0;
        for (TokenizedExample e : chunk) {
            prompts.add(e.prompt());
            longest = Math.max(longest, e.completion().length);
        }
        int[][] generated = greedy(model, prompts, longest, padId, manager);
        int correct = 0;
        for (int i = 0; i < chunk.size(); i++) {
            int[] reference = chunk.get(i).completion();
            if (Arrays.equals(reference, Arrays.copyOf(generated[i], reference.length))) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * Greedy decoding of {@code newTokens} tokens for each prompt, recomputing the full (right-padded) batch
     * every step. No KV cache: evaluation sequences are short, and this keeps training independent of the
     * serving path. Autograd must be off.
     */
    public static int[][] greedy(LlamaModel model, List<int[]> prompts, int newTokens, int padId, NDManager parent) {
        int rows = prompts.size();
        int[][] sequences = new int[rows][];
        int[] lengths = new int[rows];
        for (int i = 0; i < rows; i++) {
            sequences[i] = Arrays.copyOf(prompts.get(i), prompts.get(i).length + newTokens);
            lengths[i] = prompts.get(i).length;
        }
        for (int step = 0; step < newTokens; step++) {
            int width = 0;
            for (int len : lengths) {
                width = Math.max(width, len);
            }
            long[] ids = new long[rows * width];
            Arrays.fill(ids, padId);
            for (int i = 0; i < rows; i++) {
                for (int t = 0; t < lengths[i]; t++) {
                    ids[i * width + t] = sequences[i][t];
                }
            }
            try (NDManager manager = parent.newSubManager()) {
                NDArray input = manager.create(ids, new Shape(rows, width)).toDevice(model.manager().getDevice(), false);
                long[] best = model.forward(input).argMax(-1).toLongArray();
                for (int i = 0; i < rows; i++) {
                    sequences[i][lengths[i]] = (int) best[i * width + lengths[i] - 1];
                    lengths[i]++;
                }
            }
        }
        int[][] out = new int[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(sequences[i], prompts.get(i).length, prompts.get(i).length + newTokens);
        }
        return out;
    }
}
