package dev.adapterhub.engine.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.ByteLevelTokenizerJson;
import dev.adapterhub.formats.hf.HfCheckpoint;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import dev.adapterhub.formats.safetensors.TensorInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads and saves HF Llama checkpoint directories: {@code config.json} plus {@code model.safetensors} or shards
 * listed in {@code model.safetensors.index.json}. F16/BF16 files are widened to F32 in Java (a BF16 NDArray would
 * abort the JVM); the model is then held in F32 or F16.
 */
public final class CheckpointIO {

    public static final String CONFIG = "config.json";
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointIO() {
    }

    /** Loads on {@link Devices#preferred()} in F32. */
    public static LlamaModel load(Path dir) throws IOException {
        return load(dir, Devices.preferred(), DataType.FLOAT32);
    }

    /** Loads on {@code device} with weights in {@code dtype} (FLOAT32 or FLOAT16). */
    public static LlamaModel load(Path dir, Device device, DataType dtype) throws IOException {
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("model dtype must be FLOAT32 or FLOAT16, got " + dtype);
        }
        LlamaDims dims = HfConfigJson.read(dir.resolve(CONFIG));
        Map<String, Path> files = HfCheckpoint.open(dir).files();
        Map<Path, SafetensorsReader> readers = new HashMap<>();
        NDManager manager = Devices.newManager(device);
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : RandomWeights.shapes(dims).entrySet()) {
                String name = e.getKey();
                Path file = files.get(name);
                if (file == null) {
                    throw new IOException("checkpoint has no tensor '" + name + "'");
                }
                SafetensorsReader r = readers.get(file);
                if (r == null) {
                    r = SafetensorsReader.open(file);
                    readers.put(file, r);
                }
                TensorInfo info = r.info(name);
                if (!info.hasShape(e.getValue())) {
                    throw new IOException("tensor '" + name + "' has shape " + info.shapeString() + ", expected "
                            + new Shape(e.getValue()));
                }
                NDArray a = manager.create(r.readFloats(name), new Shape(e.getValue()));
                if (dtype != DataType.FLOAT32) {
                    NDArray c = a.toType(dtype, false);
                    a.close();
                    a = c;
                }
                weights.put(name, a);
            }
            return LlamaModel.fromWeights(dims, manager, weights);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            for (SafetensorsReader r : readers.values()) {
                r.close();
            }
        }
    }

    /** Saves the model's current weights as F32 (see {@link #save(LlamaModel, Path, DType, int)}). */
    public static void save(LlamaModel model, Path dir) throws IOException {
        save(model, dir, DType.F32, 1);
    }

    /**
     * Writes {@code config.json} and the weights (HF names; no {@code lm_head.weight} when tied) in {@code dtype},
     * in {@code shards} files. Does not write a tokenizer.
     */
    public static void save(LlamaModel model, Path dir, DType dtype, int shards) throws IOException {
        Map<String, RandomWeights.Weight> weights = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray a = e.getValue();
            float[] v = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray()
                    : floats(a);
            weights.put(e.getKey(), new RandomWeights.Weight(a.getShape().getShape(), v));
        }
        Files.createDirectories(dir);
        HfConfigJson.write(dir.resolve(CONFIG), model.dims(), dtype, ByteLevelTokenizerJson.BOS_ID,
                ByteLevelTokenizerJson.EOS_ID, ByteLevelTokenizerJson.PAD_ID);
        writeWeights(dir, weights, dtype, shards);
    }

    private static float[] floats(NDArray a) {
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** Writes weights as one {@code model.safetensors} or as {@code shards} files plus the index. */
    static void writeWeights(Path dir, Map<String, RandomWeights.Weight> weights, DType dtype, int shards)
            throws IOException {
        if (shards <= 1) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            weights.forEach((n, w) -> tensors.put(n, Tensor.ofFloats(n, dtype, w.shape(), w.values())));
            SafetensorsWriter.write(dir.resolve(SINGLE), tensors);
            return;
        }
        List<String> names = new ArrayList<>(weights.keySet());
        int perShard = (names.size() + shards - 1) / shards;
        ObjectNode index = JSON.createObjectNode();
        long total = 0;
        ObjectNode map = JSON.createObjectNode();
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = s * perShard; i < Math.min(names.size(), (s + 1) * perShard); i++) {
                RandomWeights.Weight w = weights.get(names.get(i));
                tensors.put(names.get(i), Tensor.ofFloats(names.get(i), dtype, w.shape(), w.values()));
                total += (long) w.values().length * dtype.byteSize();
                map.put(names.get(i), file);
            }
            SafetensorsWriter.write(dir.resolve(file), tensors);
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", map);
        Files.writeString(dir.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    }
}
