package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * A sparse delta fused into a base weight: {@code W.flat[idx] += scale·values}. Keeps the K original values so
 * unfusing restores W bit-exactly (add-then-subtract would not, in low precision).
 *
 * @param flatIndices int64 [K], row-major flat positions in W ({@code out * in + col})
 * @param originals   the K values of W before fusion (same dtype as W)
 * @param ownsArrays  whether unfusing frees the indices and originals (private copies) or leaves them to their
 *                    owner (the serving engine's loaded adapter)
 */
public record ShiraFusion(NDArray flatIndices, NDArray originals, boolean ownsArrays) {
}
