package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;

import java.util.Map;

/**
 * A zero F32 delta {@code D [out, in]} on a linear: {@code y = x·Wᵀ + x·Dᵀ} equals the base output, and
 * {@code dL/dD = dL/dW}. It gives the gradient of a half-precision base weight, which DJL cannot give directly
 * (the F32 forward casts W without autograd).
 */
final class GradientProbe implements LinearAdapter {

    static final String NAME = "__gradient_probe";

    private final NDManager manager;
    private final NDArray delta;

    GradientProbe(AdaptableLinear linear, NDManager parent) {
        this.manager = parent.newSubManager();
        NDArray w = linear.weight();
        this.delta = manager.zeros(w.getShape(), DataType.FLOAT32, w.getDevice());
        this.delta.setRequiresGradient(true);
    }

    /** The accumulated gradient, dL/dW. */
    NDArray gradient() {
        return delta.getGradient();
    }

    NDArray array() {
        return delta;
    }

    @Override
    public NDArray delta(NDArray x, AdaptableLinear base) {
        return Linear.linear(x, delta).singletonOrThrow();
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return Map.of("probe", delta);
    }

    @Override
    public NDArray deltaWeight(NDManager target) {
        NDArray copy = delta.duplicate();
        copy.attach(target);
        return copy;
    }

    @Override
    public void close() {
        manager.close();
    }
}
