package dev.adapterhub.engine.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Long-lived arrays created from Java data. On the CPU, DJL's {@code create(float[])} wraps a direct
 * ByteBuffer with {@code from_blob}: the tensor does not own its memory, and anything that outlives the
 * wrapper's buffer reference (views, autograd's saved tensors, {@code set(Buffer)}) reads memory the GC may
 * free. Trainable and frozen method state is therefore cloned into torch-owned storage right away.
 */
public final class TorchOwned {

    private TorchOwned() {
    }

    public static NDArray create(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    public static NDArray create(NDManager manager, long[] values) {
        try (NDArray wrapped = manager.create(values)) {
            return wrapped.duplicate();
        }
    }
}
