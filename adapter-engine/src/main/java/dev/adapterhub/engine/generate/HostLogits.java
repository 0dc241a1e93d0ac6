package dev.adapterhub.engine.generate;

import ai.djl.ndarray.NDArray;

/** Copies last-token logits to the host, where sampling runs; shared by {@link Generator} and the serving engine. */
public final class HostLogits {

    private HostLogits() {
    }

    /** {@code [batch, 1, vocab]} logits as one {@code float[vocab]} per row. */
    public static float[][] rows(NDArray logits) {
        int b = (int) logits.getShape().get(0);
        int v = (int) logits.getShape().get(2);
        float[] flat = logits.toFloatArray();
        float[][] r = new float[b][v];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * v, r[i], 0, v);
        }
        return r;
    }
}
