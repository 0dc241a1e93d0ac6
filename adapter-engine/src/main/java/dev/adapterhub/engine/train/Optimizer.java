package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
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
     * @param grads  their gradients by the same names
     * @param lr     learning rate of this step
     */
    void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr);

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
