package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Torch-owned scalars. {@code NDArray.mul(Number)} frees its temporary scalar while autograd still holds it
 * (djl-notes bug 1), so every scalar used in a forward is a real 0-d array in the activation's manager.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-d array with value {@code v}, same manager and dtype as {@code like}. */
    public static NDArray like(NDArray like, double v) {
        return like.getManager().full(new Shape(), (float) v, like.getDataType());
    }

    /** {@code x * v} without {@code mul(Number)}. */
    public static NDArray mul(NDArray x, double v) {
        return x.mul(like(x, v));
    }
}
