package dev.adapterhub.engine.method.shira;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.adapterhub.engine.testkit.RandomWeights.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SHiRA PEFT files: export, read, fuse and a bit-exact unfuse. */
class ShiraPeftTest {

    static final long[][] IDS = {{1, 40, 50, 60, 70, 80}, {1, 200, 3, 17, 250, 9}};

    @TempDir
    static Path tmp;
    static Path checkpoint;
    static LlamaModel model;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(77), tmp.resolve("m"));
        model = CheckpointIO.load(checkpoint, Device.cpu(), DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shiraExportReadFuseUnfuse() throws Exception {
        Path out = tmp.resolve("shira");
        Random r = new Random(8);
        int rank = 1;
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (String module : List.of("model.layers.0.self_attn.q_proj", "model.layers.1.mlp.up_proj")) {
            AdaptableLinear l = model.linear(module);
            int k = rank * (l.inFeatures() + l.outFeatures());
            long[] flat = r.longs(0, (long) l.inFeatures() * l.outFeatures()).distinct().limit(k).toArray();
            int[] rows = new int[k];
            int[] cols = new int[k];
            for (int i = 0; i < k; i++) {
                rows[i] = (int) (flat[i] / l.inFeatures());
                cols[i] = (int) (flat[i] % l.inFeatures());
            }
            deltas.put(module, new SparseDelta(rows, cols, gaussian(r, k, 0.5f)));
        }
        ShiraPeft.export(model, deltas, rank, "random", 8L, out, "tiny-llama");
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertEquals("SHIRA", cfg.get("peft_type").asText());
        assertEquals("random", cfg.get("mask_type").asText());
        assertEquals(8, cfg.get("random_seed").asInt());
        try (SafetensorsReader reader = SafetensorsReader.open(out.resolve("adapter_model.safetensors"))) {
            var info = reader.info("base_model.model.model.layers.0.self_attn.q_proj.shira_indices");
            assertEquals(DType.I32, info.dtype());
            assertArrayEquals(new long[] {2, 128}, info.shape());
            assertArrayEquals(new long[] {128},
                    reader.info("base_model.model.model.layers.0.self_attn.q_proj.shira_weight").shape());
        }
        ShiraWeights read = ShiraPeft.read(out);
        for (var e : deltas.entrySet()) {
            SparseDelta d = read.deltas().get(e.getKey());
            assertArrayEquals(e.getValue().rows(), d.rows());
            assertArrayEquals(e.getValue().cols(), d.cols());
            assertArrayEquals(e.getValue().values(), d.values());
        }

        try (NDManager m = Devices.newManager(Device.cpu())) {
            Map<String, float[]> before = new LinkedHashMap<>();
            for (String module : deltas.keySet()) {
                before.put(module, model.linear(module).weight().toFloatArray());
            }
            NDArray base = model.forward(m.create(IDS));
            ShiraPeft.fuse(model, out, "s");
            for (var e : deltas.entrySet()) {
                AdaptableLinear l = model.linear(e.getKey());
                float[] w = l.weight().toFloatArray();
                SparseDelta d = e.getValue();
                for (int i = 0; i < d.size(); i++) {
                    int at = d.rows()[i] * l.inFeatures() + d.cols()[i];
                    assertEquals(before.get(e.getKey())[at] + d.values()[i], w[at], 0f);
                }
            }
            assertTrue(model.forward(m.create(IDS)).sub(base).abs().max().getFloat() > 1e-3f);
            assertEquals(2, ShiraPeft.unfuse(model, "s").size());
            for (String module : deltas.keySet()) {
                assertArrayEquals(before.get(module), model.linear(module).weight().toFloatArray(), 0f);
            }
            assertArrayEquals(base.toFloatArray(), model.forward(m.create(IDS)).toFloatArray(), 0f);
        }
    }
}
