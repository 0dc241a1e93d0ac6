package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Llama RMSNorm, computed in float32 like HF, then cast back and scaled by the weight. */
public final class RmsNorm {

    private RmsNorm() {
    }

    public static NDArray apply(NDArray x, NDArray weight, double eps) {
        DataType type = x.getDataType();
        NDArray x32 = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray variance = x32.square().mean(new int[] {-1}, true);
        NDArray normed = x32.div(variance.add(Scalars.like(variance, eps)).sqrt());
        if (type != DataType.FLOAT32) {
            normed = normed.toType(type, false);
        }
        return normed.mul(weight);
    }
}
