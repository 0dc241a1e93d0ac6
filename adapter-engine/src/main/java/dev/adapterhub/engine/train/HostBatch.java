package dev.adapterhub.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A right-padded batch on the Java heap for next-token training: position t of row b reads
 * {@code inputIds[b, t]} and is scored on {@code targets[b, t]} (the following token) where
 * {@code lossMask[b, t] == 1}, i.e. only where the target is a completion token. Right padding needs no
 * attention mask: causal attention never lets a real position see the padding after it.
 */
public record HostBatch(int rows, int length, long[] inputIds, long[] targets, float[] lossMask, int lossTokens) {

    /**
     * Collates examples; a sequence longer than {@code maxLength + 1} tokens loses tokens from the front of
     * its prompt (the completion is what is trained and scored).
     */
    public static HostBatch collate(List<TokenizedExample> examples, int padId, int maxLength) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        int rows = examples.size();
        int length = 1;
        for (TokenizedExample e : examples) {
            length = Math.max(length, Math.min(e.length() - 1, maxLength));
        }
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        float[] mask = new float[rows * length];
        java.util.Arrays.fill(inputs, padId);
        java.util.Arrays.fill(targets, padId);
        int counted = 0;
        for (int b = 0; b < rows; b++) {
            TokenizedExample e = examples.get(b);
            int[] tokens = e.tokens();
            int promptLength = e.prompt().length;
            int drop = Math.max(0, tokens.length - (maxLength + 1));
            int n = tokens.length - drop;
            for (int t = 0; t < n - 1; t++) {
                int src = drop + t;
                inputs[b * length + t] = tokens[src];
                targets[b * length + t] = tokens[src + 1];
                if (src + 1 >= promptLength) {
                    mask[b * length + t] = 1f;
                    counted++;
                }
            }
        }
        return new HostBatch(rows, length, inputs, targets, mask, counted);
    }

    /** Copies the batch to the device; the arrays belong to {@code manager}. */
    public DeviceBatch toDevice(NDManager manager, Device device) {
        Shape shape = new Shape(rows, length);
        NDArray ids = manager.create(inputIds, shape).toDevice(device, false);
        NDArray tgt = manager.create(targets, shape).toDevice(device, false);
        NDArray msk = manager.create(lossMask, shape).toDevice(device, false);
        return new DeviceBatch(ids, tgt, msk, lossTokens);
    }

    /** Number of positions (padding included). */
    public int positions() {
        return rows * length;
    }

    /** The device-side arrays of a {@link HostBatch}. */
    public record DeviceBatch(NDArray inputIds, NDArray targets, NDArray lossMask, int lossTokens) {
    }
}
