package dev.adapterhub.engine.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.formats.hf.HfCheckpoint;
import dev.adapterhub.formats.hf.HfCheckpointWriter;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.Tensor;
import dev.adapterhub.formats.safetensors.TensorInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    /*
     * The special token ids save() writes into config.json: those of the byte-level tokenizer (pad 0, <s> 1,
     * </s> 2) that every checkpoint the engine saves has been trained with so far. The test kit's
     * ByteLevelTokenizerJson defines the same ids; CheckpointIOTest keeps the two equal.
     */
    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;

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
            for (Map.Entry<String, long[]> e : shapes(dims).entrySet()) {
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
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray a = e.getValue();
            float[] v = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : floats(a);
            tensors.put(e.getKey(), Tensor.ofFloats(e.getKey(), dtype, a.getShape().getShape(), v));
        }
        Files.createDirectories(dir);
        HfConfigJson.write(dir.resolve(CONFIG), model.dims(), dtype, BOS_ID, EOS_ID, PAD_ID);
        HfCheckpointWriter.writeWeights(dir, tensors, shards);
    }

    /** Weight names and shapes of a Llama checkpoint with these dimensions, in HF order. */
    private static Map<String, long[]> shapes(LlamaDims d) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(LlamaModel.EMBED, new long[] {d.vocabSize(), d.hiddenSize()});
        for (int i = 0; i < d.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "self_attn.q_proj.weight", new long[] {d.qOut(), d.hiddenSize()});
            s.put(p + "self_attn.k_proj.weight", new long[] {d.kvOut(), d.hiddenSize()});
            s.put(p + "self_attn.v_proj.weight", new long[] {d.kvOut(), d.hiddenSize()});
            s.put(p + "self_attn.o_proj.weight", new long[] {d.hiddenSize(), d.qOut()});
            s.put(p + "mlp.gate_proj.weight", new long[] {d.intermediateSize(), d.hiddenSize()});
            s.put(p + "mlp.up_proj.weight", new long[] {d.intermediateSize(), d.hiddenSize()});
            s.put(p + "mlp.down_proj.weight", new long[] {d.hiddenSize(), d.intermediateSize()});
            s.put(p + "input_layernorm.weight", new long[] {d.hiddenSize()});
            s.put(p + "post_attention_layernorm.weight", new long[] {d.hiddenSize()});
        }
        s.put(LlamaModel.NORM, new long[] {d.hiddenSize()});
        if (!d.tieWordEmbeddings()) {
            s.put(LlamaModel.LM_HEAD, new long[] {d.vocabSize(), d.hiddenSize()});
        }
        return s;
    }

    private static float[] floats(NDArray a) {
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}
