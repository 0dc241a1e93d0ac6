package dev.adapterhub.engine.method.shira;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;
import java.util.Map;

/**
 * A sparse additive delta under training: the K trainable values are scattered into a dense [out, in] zero
 * matrix at fixed flat positions (an out-of-place {@code put}, so autograd carries gradients back to exactly
 * those K values) and applied as {@code x·ΔWᵀ}. The base weight itself is never touched, so only masked
 * entries of the effective weight can change.
 */
public final class ShiraTrainingAdapter implements LinearAdapter {

    private final NDManager manager;
    private final NDArray flatIndices;
    private final NDArray values;
    private final int out;
    private final int in;

    private ShiraTrainingAdapter(NDManager manager, NDArray flatIndices, NDArray values, int out, int in) {
        this.manager = manager;
        this.flatIndices = flatIndices;
        this.values = values;
        this.out = out;
        this.in = in;
    }

    /** Takes ownership of the int64 [K] indices and the [K] values. */
    public static ShiraTrainingAdapter create(NDManager parent, NDArray flatIndices, NDArray values, int out, int in) {
        if (flatIndices.getShape().dimension() != 1 || !flatIndices.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException("SHiRA needs indices [K] and values [K]");
        }
        NDManager own = parent.newSubManager();
        flatIndices.attach(own);
        values.attach(own);
        return new ShiraTrainingAdapter(own, flatIndices, values, out, in);
    }

    public NDArray flatIndices() {
        return flatIndices;
    }

    public NDArray values() {
        return values;
    }

    @Override
    public NDArray delta(NDArray x, AdaptableLinear base) {
        NDArray dense = x.getManager().zeros(new Shape((long) out * in), values.getDataType(), x.getDevice())
                .put(flatIndices, values).reshape(out, in);
        return Linear.linear(x, dense.toType(x.getDataType(), false)).singletonOrThrow();
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return Map.of("shira_weight", values);
    }

    /** The mask: int64 flat positions, fixed when training starts. */
    @Override
    public Map<String, NDArray> frozenState() {
        return Map.of("shira_indices", flatIndices);
    }

    @Override
    public NDArray deltaWeight(NDManager target) {
        return target.zeros(new Shape((long) out * in), DataType.FLOAT32, values.getDevice())
                .put(flatIndices, values.toType(DataType.FLOAT32, false)).reshape(out, in);
    }

    @Override
    public void close() {
        manager.close();
    }
}
