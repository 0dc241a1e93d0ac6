package dev.adapterhub.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Endless mini-batches over a list of examples: every epoch visits each example once in an order drawn from
 * {@code (seed, epoch)}, so a sampler rebuilt from its {@link State} continues exactly where it stopped.
 */
public final class BatchSampler {

    private final List<TokenizedExample> examples;
    private final int batchSize;
    private final long seed;
    private int epoch;
    private int cursor;
    private int[] order;

    public BatchSampler(List<TokenizedExample> examples, int batchSize, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.seed = seed;
        this.order = permutation(0);
    }

    /** The next batch; batches never straddle epochs (the last one of an epoch may be smaller). */
    public List<TokenizedExample> next() {
        if (cursor >= order.length) {
            epoch++;
            cursor = 0;
            order = permutation(epoch);
        }
        int end = Math.min(order.length, cursor + batchSize);
        List<TokenizedExample> batch = new ArrayList<>(end - cursor);
        for (int i = cursor; i < end; i++) {
            batch.add(examples.get(order[i]));
        }
        cursor = end;
        return batch;
    }

    private int[] permutation(int e) {
        int[] p = new int[examples.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        Random random = new Random(seed * 1_000_003L + e);
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    public State state() {
        return new State(epoch, cursor);
    }

    public void restore(State state) {
        this.epoch = state.epoch();
        this.cursor = state.cursor();
        this.order = permutation(epoch);
    }

    /** Epochs completed as a fraction. */
    public double epochs() {
        return epoch + (double) cursor / order.length;
    }

    /** Position of the sampler: the epoch and how many examples of it were handed out. */
    public record State(int epoch, int cursor) {
    }
}
