package dev.adapterhub.engine.device;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.model.LlamaModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a pipeline loads its base models and in which dtype: a worker passes its configured device and the job's
 * {@code baseDtype}, so every model of one job (a transfer loads up to four) lands on the same device in the same
 * precision instead of each step picking its own.
 */
public record Placement(Device device, DataType dtype) {

    public Placement {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dtype, "dtype");
    }

    /** {@link Devices#preferred()} in F32: what the engine picks when nobody says. */
    public static Placement preferred() {
        return new Placement(Devices.preferred(), DataType.FLOAT32);
    }

    /** Loads the checkpoint in {@code dir} here. */
    public LlamaModel load(Path dir) throws IOException {
        return CheckpointIO.load(dir, device, dtype);
    }
}
