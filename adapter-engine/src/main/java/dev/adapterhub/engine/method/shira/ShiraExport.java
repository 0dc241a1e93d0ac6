package dev.adapterhub.engine.method.shira;

import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.PeftIO;
import dev.adapterhub.engine.peft.SparseDelta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts the trained flat positions and values into PEFT SHiRA deltas and writes them with {@link PeftIO}. */
final class ShiraExport {

    private ShiraExport() {
    }

    static void write(ShiraMethod method, LlamaModel model, Map<String, ShiraTrainingAdapter> adapters,
                      Path directory, String baseModelName) throws IOException {
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, ShiraTrainingAdapter> e : adapters.entrySet()) {
            int in = model.linear(e.getKey()).inFeatures();
            long[] flat = e.getValue().flatIndices().toType(DataType.INT64, false).toLongArray();
            float[] values = e.getValue().values().toType(DataType.FLOAT32, false).toFloatArray();
            int[] rows = new int[flat.length];
            int[] cols = new int[flat.length];
            for (int i = 0; i < flat.length; i++) {
                rows[i] = (int) (flat[i] / in);
                cols[i] = (int) (flat[i] % in);
            }
            deltas.put(e.getKey(), new SparseDelta(rows, cols, values));
        }
        PeftIO.exportShira(model, deltas, method.rank(), method.maskType().peftName(), method.seed(), directory,
                baseModelName);
    }
}
