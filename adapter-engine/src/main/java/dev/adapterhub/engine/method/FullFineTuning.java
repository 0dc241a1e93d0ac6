package dev.adapterhub.engine.method;

import ai.djl.ndarray.NDArray;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.train.MethodContext;
import dev.adapterhub.engine.train.TrainingMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full fine-tuning baseline: every base weight is trained in place (tied embeddings once). Export writes a
 * whole HF checkpoint, not an adapter.
 */
public final class FullFineTuning implements TrainingMethod {

    private LlamaModel model;

    @Override
    public String name() {
        return "full";
    }

    @Override
    public void prepare(MethodContext context) {
        model = context.model();
    }

    @Override
    public void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable) {
        model = context.model();
        for (Map.Entry<String, NDArray> e : trainableParameters().entrySet()) {
            NDArray saved = trainable.get(e.getKey());
            if (saved == null) {
                throw new IllegalArgumentException("checkpoint lacks " + e.getKey());
            }
            e.getValue().muli(0).addi(saved.toType(e.getValue().getDataType(), false));
        }
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        Map<NDArray, Boolean> seen = new IdentityHashMap<>();
        model.parameters().forEach((name, array) -> {
            if (seen.put(array, Boolean.TRUE) == null) {
                out.put(name, array);
            }
        });
        return out;
    }

    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        CheckpointIO.save(model, directory);
    }

    @Override
    public void close() {
        // Nothing attached; the trained weights are the model's.
    }
}
