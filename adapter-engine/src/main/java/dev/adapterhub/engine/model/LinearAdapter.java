package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Map;

/**
 * Something attached to an {@link AdaptableLinear} that adds to its output: LoRA, LoRA-SB, a trainable SHiRA
 * delta... The base linear computes {@code F.linear(x, W)} and adds {@link #delta} of every applicable adapter.
 */
public interface LinearAdapter extends AutoCloseable {

    /**
     * The additive contribution to the output for input {@code x [.., in]}: an array {@code [.., out]} whose
     * manager is {@code x}'s (use {@code x} as the first operand or {@code F.linear}).
     */
    NDArray delta(NDArray x, AdaptableLinear base);

    /**
     * The arrays training updates, by short name (e.g. "lora_A"); a training method checkpoints them as
     * {@code <module>.<name>}.
     */
    Map<String, NDArray> trainableParameters();

    /** Arrays that define the adapter but stay fixed in training (e.g. SHiRA's indices), by short name. */
    default Map<String, NDArray> frozenState() {
        return Map.of();
    }

    /** The dense weight change {@code [out, in]} this adapter stands for, created in {@code manager}. */
    NDArray deltaWeight(NDManager manager);

    /**
     * {@code x} in {@code type} (itself when it already is). An F16 base trains F32 adapters: the delta is computed
     * in the adapter's F32 and handed back in the activations' dtype, so gradients reach the factors in F32.
     */
    static NDArray inType(NDArray x, DataType type) {
        return x.getDataType() == type ? x : x.toType(type, false);
    }

    /** Frees the adapter's arrays. */
    @Override
    void close();
}
