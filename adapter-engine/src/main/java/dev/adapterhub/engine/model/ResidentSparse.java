package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * One module of a SHiRA held resident by its caller (the serving engine), for
 * {@link LlamaModel#fuseSparseResident(String, java.util.List)}: what {@link AdaptableLinear#fuseSparseResident}
 * takes for one linear.
 *
 * @param module      the linear's HF module name
 * @param flatIndices int64 [K] row-major flat positions in W, on W's device
 * @param fusedValues [K] the values W holds there while fused, in W's dtype
 * @param originals   [K] W's values there before fusing, in W's dtype
 */
public record ResidentSparse(String module, NDArray flatIndices, NDArray fusedValues, NDArray originals) {
}
