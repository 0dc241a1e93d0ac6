package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A resumable snapshot of a job in one directory: {@code trainable.safetensors} (the trained arrays),
 * {@code method.safetensors} (the method's frozen state), {@code optimizer.safetensors} (moments) and
 * {@code trainer_state.json} (step, data position, losses). No pickle anywhere.
 */
public final class TrainingCheckpoint {

    static final String TRAINABLE = "trainable.safetensors";
    static final String METHOD = "method.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "trainer_state.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoint() {
    }

    /** The JSON part. */
    public record State(int step, String method, String optimizer, long optimizerSteps, int samplerEpoch,
                        int samplerCursor, long seed, List<Double> losses) {
    }

    /** The arrays of a loaded checkpoint, owned by the manager given to {@link #load}. */
    public record Loaded(State state, Map<String, NDArray> trainable, Map<String, NDArray> frozen,
                         Map<String, NDArray> optimizer) {
    }

    public static void save(Path directory, State state, Map<String, NDArray> trainable,
                            Map<String, NDArray> frozen, Map<String, NDArray> optimizer) throws IOException {
        Files.createDirectories(directory);
        ArrayFiles.write(directory.resolve(TRAINABLE), trainable);
        ArrayFiles.write(directory.resolve(METHOD), frozen);
        ArrayFiles.write(directory.resolve(OPTIMIZER), optimizer);
        // The JSON goes last: its presence marks a complete checkpoint.
        Path tmp = directory.resolve(STATE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
        Files.move(tmp, directory.resolve(STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static boolean isComplete(Path directory) {
        return Files.isRegularFile(directory.resolve(STATE));
    }

    public static Loaded load(Path directory, NDManager manager) throws IOException {
        if (!isComplete(directory)) {
            throw new IOException("no complete training checkpoint in " + directory.getFileName());
        }
        State state = JSON.readValue(directory.resolve(STATE).toFile(), State.class);
        return new Loaded(state, ArrayFiles.read(directory.resolve(TRAINABLE), manager),
                ArrayFiles.read(directory.resolve(METHOD), manager),
                ArrayFiles.read(directory.resolve(OPTIMIZER), manager));
    }
}
