package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * A per-row additive contribution to linear outputs computed for a whole batch at once (S-LoRA style batched
 * adapters: each row has its own low-rank delta, the base GEMM stays shared). Passed per forward through
 * {@link ForwardInput#rowDelta()}; applied by every {@link AdaptableLinear} in addition to its attached adapters.
 */
@FunctionalInterface
public interface RowDelta {

    /**
     * @param linear the layer being computed
     * @param x      its input [B, T, in] (in the forward's manager)
     * @return the delta [B, T, out] in {@code x}'s manager, or null when nothing applies to this linear
     */
    NDArray delta(AdaptableLinear linear, NDArray x);
}
