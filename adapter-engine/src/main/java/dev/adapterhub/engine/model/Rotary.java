package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The rotary tables of one forward, shared by every layer, each {@code [B, 1, T, headDim]} in the model's dtype.
 * HF rotates {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = [-x2, x1]}; here the sign lives in
 * {@code sin} ({@code [-sin, sin]}), so a rotation is {@code x·cos + [x2, x1]·sin}, and the queries' tables carry
 * the attention scale 1/√headDim as well. Both save native calls in every layer of every step.
 */
record Rotary(NDArray cos, NDArray sin, NDArray queryCos, NDArray querySin) {

    /** @param freqs F32 [B, T, headDim/2]: position × inverse frequency */
    static Rotary of(NDArray freqs, DataType type, int headDim) {
        NDArray c = freqs.cos();
        NDArray s = freqs.sin();
        NDArray cos = NDArrays.concat(new NDList(c, c), -1).expandDims(1);
        NDArray sin = NDArrays.concat(new NDList(s.neg(), s), -1).expandDims(1);
        NDArray scale = Scalars.like(cos, 1.0 / Math.sqrt(headDim));
        NDArray queryCos = cos.mul(scale);
        NDArray querySin = sin.mul(scale);
        return new Rotary(cos.toType(type, false), sin.toType(type, false), queryCos.toType(type, false),
                querySin.toType(type, false));
    }

    /** Keys: {@code x·cos + [x2, x1]·sin}, x {@code [B, heads, T, headDim]}. */
    NDArray keys(NDArray x) {
        return rotate(x, cos, sin);
    }

    /** Queries, already scaled by 1/√headDim. */
    NDArray queries(NDArray x) {
        return rotate(x, queryCos, querySin);
    }

    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray swapped = NDArrays.concat(new NDList(x2, x1), -1);
        return x.mul(cos).add(swapped.mul(sin));
    }
}
