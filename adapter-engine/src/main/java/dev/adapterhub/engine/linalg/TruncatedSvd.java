package dev.adapterhub.engine.linalg;

import ai.djl.ndarray.NDArray;

/**
 * The leading k singular triplets of a matrix: U [m, k] (orthonormal columns), singular values descending,
 * Vᵀ [k, n] (orthonormal rows). The arrays belong to the manager given to {@link RandomizedSvd#compute}.
 */
public record TruncatedSvd(NDArray u, double[] singularValues, NDArray vt) {

    public int rank() {
        return singularValues.length;
    }
}
