package dev.adapterhub.formats.hf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterhub.formats.Json;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the weights of a HF checkpoint directory in the layout {@link HfCheckpoint} reads: one
 * {@code model.safetensors}, or {@code model-0000i-of-0000n.safetensors} shards plus
 * {@code model.safetensors.index.json}. Shared by the engine's save and the test kit's generator, so both write
 * exactly the same layout.
 */
public final class HfCheckpointWriter {

    private HfCheckpointWriter() {
    }

    /** Writes {@code tensors} (kept in their order) as one file ({@code shards <= 1}) or in {@code shards} files. */
    public static void writeWeights(Path dir, Map<String, Tensor> tensors, int shards) throws IOException {
        if (shards <= 1) {
            SafetensorsWriter.write(dir.resolve(HfCheckpoint.SINGLE_FILE), tensors);
            return;
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        int perShard = (names.size() + shards - 1) / shards;
        ObjectNode index = Json.MAPPER.createObjectNode();
        ObjectNode map = Json.MAPPER.createObjectNode();
        long total = 0;
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            Map<String, Tensor> shard = new LinkedHashMap<>();
            for (int i = s * perShard; i < Math.min(names.size(), (s + 1) * perShard); i++) {
                Tensor t = tensors.get(names.get(i));
                shard.put(names.get(i), t);
                total += t.data().length;
                map.put(names.get(i), file);
            }
            SafetensorsWriter.write(dir.resolve(file), shard);
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", map);
        Files.writeString(dir.resolve(HfCheckpoint.INDEX_FILE),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    }
}
