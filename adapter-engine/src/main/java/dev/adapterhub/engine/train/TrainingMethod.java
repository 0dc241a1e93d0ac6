package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fine-tuning method as a strategy: it decides what is trainable in the model (attaching adapters or
 * unfreezing weights), possibly initializing from gradients, and writes the result as an HF PEFT adapter.
 * Implementations: LoRA, LoRA-GA, LoRA-SB, SHiRA, full fine-tuning.
 */
public interface TrainingMethod extends AutoCloseable {

    /** Short identifier written into checkpoints ("lora", "lora-ga", ...). */
    String name();

    /** Prepares the model for training from scratch; gradient-based methods use {@code context}'s estimator. */
    void prepare(MethodContext context);

    /**
     * Rebuilds the prepared state from a checkpoint instead of {@link #prepare}: {@code frozen} is what
     * {@link #frozenState()} returned, {@code trainable} what {@link #trainableParameters()} held.
     */
    void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable);

    /** The live arrays the optimizer updates, by stable names (also the checkpoint keys). */
    Map<String, NDArray> trainableParameters();

    /** Non-trainable arrays that define the prepared state (initial factors, masks); empty by default. */
    default Map<String, NDArray> frozenState() {
        return Map.of();
    }

    /** Writes the trained adapter (HF PEFT directory; full fine-tuning writes a model checkpoint). */
    void export(Path directory, String baseModelName) throws IOException;

    /** Removes what the method attached to the model. Changes made to base weights stay. */
    @Override
    void close();
}
