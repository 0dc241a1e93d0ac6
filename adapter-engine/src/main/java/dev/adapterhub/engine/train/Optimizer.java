package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates trainable arrays in place from their gradients. Runs with autograd recording off (the trainer
 * guarantees it), so in-place updates of leaf arrays are legal.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * One update.
     *
     * @param params live trainable arrays by name
     * @param grads  their gradients, flat (and already clipped)
     * @param lr     learning rate of this step
     */
    void step(Map<String, NDArray> params, FlatGradients grads, double lr);

    /** One update from per-parameter gradients (flattened into a scratch manager first). */
    default void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        try (NDManager scratch = params.values().iterator().next().getManager().newSubManager()) {
            step(params, FlatGradients.of(params, grads, scratch), lr);
        }
    }

    /**
     * The whole update of a training step: clips the gradients' global norm to {@code maxGradNorm} (off when
     * {@code <= 0}, as torch's clip_grad_norm_), updates, zeroes the gradients. Returns the norm before clipping.
     *
     * @param params      live trainable arrays by name, their gradients accumulated
     * @param stepManager scope for the step's temporaries
     */
    default double update(Map<String, NDArray> params, double maxGradNorm, double lr, NDManager stepManager) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = e.getValue().getGradient();
            g.attach(stepManager);
            grads.put(e.getKey(), g);
        }
        FlatGradients flat = FlatGradients.of(params, grads, stepManager);
        double norm = flat.clip(maxGradNorm);
        step(params, flat, lr);
        for (NDArray p : params.values()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
        return norm;
    }

    /** Updates applied so far. */
    long steps();

    /** Optimizer state to checkpoint (arrays stay owned by the optimizer). */
    Map<String, NDArray> state();

    /**
     * Restores {@link #state()} and the step count from a checkpoint; arrays are copied.
     */
    void restore(Map<String, NDArray> state, long steps);

    @Override
    void close();
}
