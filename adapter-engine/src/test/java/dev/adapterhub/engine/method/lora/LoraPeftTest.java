package dev.adapterhub.engine.method.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.peft.InvalidAdapterException;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.adapterhub.engine.testkit.RandomWeights.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA PEFT files: export, read, apply; half-precision files; invalid files change nothing. */
class LoraPeftTest {

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

    static void attachRandomLora(LlamaModel m, String name, long seed) {
        Random r = new Random(seed);
        for (AdaptableLinear l : m.linears().values()) {
            boolean q = l.name().endsWith("q_proj");
            if (q || l.name().endsWith("v_proj")) {
                int rank = l.name().equals("model.layers.1.self_attn.q_proj") ? 2 : 4;
                NDManager mm = m.manager();
                NDArray a = mm.create(gaussian(r, rank * l.inFeatures(), 0.3f), new Shape(rank, l.inFeatures()));
                NDArray b = mm.create(gaussian(r, l.outFeatures() * rank, 0.3f), new Shape(l.outFeatures(), rank));
                l.attach(name, LoraAdapter.create(mm, a, b, 8f, true));
            }
        }
    }

    static void detach(LlamaModel m, String name) {
        for (AdaptableLinear l : m.linears().values()) {
            var a = l.detach(name);
            if (a != null) {
                a.close();
            }
        }
    }

    @Test
    void loraExportReadApplyRoundTrip() throws Exception {
        Path out = tmp.resolve("lora");
        attachRandomLora(model, "t", 5);
        try (NDManager m = Devices.newManager(Device.cpu())) {
            NDArray withAdapter = model.forward(m.create(IDS));
            LoraPeft.exportAttached(model, "t", out, "tiny-llama");

            JsonNode cfg = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
            assertEquals("LORA", cfg.get("peft_type").asText());
            assertEquals(4, cfg.get("r").asInt());
            assertEquals(8, cfg.get("lora_alpha").asInt());
            assertTrue(cfg.get("use_rslora").asBoolean());
            assertEquals("tiny-llama", cfg.get("base_model_name_or_path").asText());
            assertEquals("CAUSAL_LM", cfg.get("task_type").asText());
            assertEquals("none", cfg.get("bias").asText());
            assertFalse(cfg.get("fan_in_fan_out").asBoolean());
            assertTrue(cfg.get("init_lora_weights").asBoolean());
            assertEquals(2, cfg.get("rank_pattern").get("model.layers.1.self_attn.q_proj").asInt());
            List<String> targets = new ArrayList<>();
            cfg.get("target_modules").forEach(t -> targets.add(t.asText()));
            assertEquals(List.of("q_proj", "v_proj"), targets.stream().sorted().toList());

            LoraWeights w = LoraPeft.read(out);
            assertEquals(4, w.a().size());
            for (String module : w.a().keySet()) {
                LoraAdapter a = model.linear(module).lora("t");
                assertArrayEquals(a.a().toFloatArray(), w.a().get(module));
                assertArrayEquals(a.b().toFloatArray(), w.b().get(module));
                assertArrayEquals(a.a().getShape().getShape(), w.aShape().get(module));
            }
            try (SafetensorsReader r = SafetensorsReader.open(out.resolve("adapter_model.safetensors"))) {
                assertTrue(r.contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
                assertTrue(r.contains("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"));
                assertArrayEquals(new long[] {2, 64},
                        r.info("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight").shape());
                assertEquals("pt", r.header().metadata().get("format"));
            }

            try (LlamaModel fresh = CheckpointIO.load(checkpoint, Device.cpu(), DataType.FLOAT32)) {
                NDArray base = fresh.forward(m.create(IDS));
                List<String> modules = LoraPeft.apply(fresh, out, "loaded");
                assertEquals(4, modules.size());
                NDArray loaded = fresh.forward(m.create(IDS));
                assertArrayEquals(withAdapter.toFloatArray(), loaded.toFloatArray(), 0f);
                assertTrue(loaded.sub(base).abs().max().getFloat() > 1e-2f, "applied LoRA must change the output");
            }
        } finally {
            detach(model, "t");
        }
    }

    @Test
    void halfPrecisionLoraFilesLoad() throws Exception {
        Path dir = tmp.resolve("f16");
        Files.createDirectories(dir);
        Random r = new Random(3);
        String module = "model.layers.0.mlp.down_proj";
        float[] a = gaussian(r, 2 * 128, 0.5f);
        float[] b = gaussian(r, 64 * 2, 0.5f);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(PeftKeys.loraA(module), Tensor.ofFloats(PeftKeys.loraA(module), DType.BF16, new long[] {2, 128}, a));
        t.put(PeftKeys.loraB(module), Tensor.ofFloats(PeftKeys.loraB(module), DType.F16, new long[] {64, 2}, b));
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), t);
        PeftConfig.lora(2, 4, TargetModules.of("model.layers.0.mlp.down_proj")).writeTo(dir);
        try (LlamaModel fresh = CheckpointIO.load(checkpoint, Device.cpu(), DataType.FLOAT32)) {
            LoraPeft.apply(fresh, dir, "h");
            LoraAdapter l = fresh.linear(module).lora("h");
            assertEquals(2f, l.scaling(), 0f);
            float[] la = l.a().toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], la[i], Math.abs(a[i]) / 128f + 1e-30f);
            }
            assertArrayEquals(b, l.b().toFloatArray(), 1e-3f);
        }
    }

    @Test
    void invalidAdaptersChangeNothing() throws Exception {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        String good = "model.layers.0.self_attn.q_proj";
        String bad = "model.layers.0.self_attn.k_proj";
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(PeftKeys.loraA(good), Tensor.ofFloats(PeftKeys.loraA(good), new long[] {2, 64}, new float[128]));
        t.put(PeftKeys.loraB(good), Tensor.ofFloats(PeftKeys.loraB(good), new long[] {64, 2}, new float[128]));
        t.put(PeftKeys.loraA(bad), Tensor.ofFloats(PeftKeys.loraA(bad), new long[] {2, 64}, new float[128]));
        t.put(PeftKeys.loraB(bad), Tensor.ofFloats(PeftKeys.loraB(bad), new long[] {64, 2}, new float[128])); // k is [32, 64]
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), t);
        PeftConfig.lora(2, 4, TargetModules.of("q_proj", "k_proj")).writeTo(dir);
        try (LlamaModel fresh = CheckpointIO.load(checkpoint, Device.cpu(), DataType.FLOAT32)) {
            assertThrows(InvalidAdapterException.class, () -> LoraPeft.apply(fresh, dir, "bad"));
            for (AdaptableLinear l : fresh.linears().values()) {
                assertTrue(l.adapters().isEmpty(), l.name());
            }
            Path pickle = tmp.resolve("pickle");
            Files.createDirectories(pickle);
            Files.write(pickle.resolve("adapter_model.bin"), new byte[] {(byte) 0x80, 2});
            PeftConfig.lora(2, 4, TargetModules.of("q_proj")).writeTo(pickle);
            assertThrows(InvalidAdapterException.class, () -> LoraPeft.apply(fresh, pickle, "p"));
        }
    }
}
