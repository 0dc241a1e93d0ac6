package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.testkit.RandomWeights;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.safetensors.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LlamaModelTest {

    static final long[][] PROMPT = {{1, 40, 50, 60, 70, 80, 90, 100}, {1, 200, 3, 17, 250, 9, 9, 120}};

    @TempDir
    Path tmp;

    @Test
    void generatedCheckpointLoadsWithTheGeneratedValuesAndGivesFiniteLogits() throws Exception {
        TinyLlamaSpec spec = TinyLlamaSpec.tiny();
        Path dir = TinyLlamaGenerator.generate(spec, tmp.resolve("m"));
        assertTrue(Files.isRegularFile(dir.resolve("config.json")));
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
             NDManager m = Devices.newManager(Device.cpu())) {
            String name = "model.layers.1.mlp.down_proj.weight";
            float[] expected = RandomWeights.values(spec, name, new long[] {64, 128});
            assertArrayEquals(expected, model.parameters().get(name).toFloatArray());
            NDArray logits = model.forward(m.create(PROMPT));
            assertEquals(new Shape(2, 8, 259), logits.getShape());
            assertEquals(DataType.FLOAT32, logits.getDataType());
            assertTrue(logits.getManager() == m || logits.getManager().getParentManager() != model.manager(),
                    "forward results must not attach to the model's manager");
            for (float v : logits.toFloatArray()) {
                assertTrue(Float.isFinite(v));
            }
            // Causality: changing a later token leaves earlier logits unchanged.
            long[][] changed = {PROMPT[0].clone()};
            changed[0][6] = 33;
            NDArray a = model.forward(m.create(new long[][] {PROMPT[0]})).get(new NDIndex(":, :6, :"));
            NDArray b = model.forward(m.create(changed)).get(new NDIndex(":, :6, :"));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
            NDArray c = model.forward(m.create(changed)).get(new NDIndex(":, 6:, :"));
            NDArray d = model.forward(m.create(new long[][] {PROMPT[0]})).get(new NDIndex(":, 6:, :"));
            assertFalse(c.allClose(d, 1e-6, 1e-6, false));
        }
    }

    @Test
    void saveThenReloadGivesIdenticalLogits() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(7), tmp.resolve("a"));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
             NDManager m = Devices.newManager(Device.cpu())) {
            float[] before = model.forward(m.create(PROMPT)).toFloatArray();
            CheckpointIO.save(model, tmp.resolve("b"));
            try (LlamaModel again = CheckpointIO.load(tmp.resolve("b"), Device.cpu(), DataType.FLOAT32)) {
                assertArrayEquals(before, again.forward(m.create(PROMPT)).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void float16ModelSavesAndReloadsExactly() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(8).withTiedEmbeddings(true), tmp.resolve("t"));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT16);
             NDManager m = Devices.newManager(Device.cpu())) {
            float[] before = model.forward(m.create(PROMPT)).toFloatArray();
            CheckpointIO.save(model, tmp.resolve("t2"), DType.F16, 2);
            assertTrue(Files.isRegularFile(tmp.resolve("t2/model.safetensors.index.json")));
            assertEquals("float16", dev.adapterhub.formats.hf.LlamaConfig.read(tmp.resolve("t2")).torchDtype());
            try (LlamaModel again = CheckpointIO.load(tmp.resolve("t2"), Device.cpu(), DataType.FLOAT16)) {
                assertFalse(again.parameters().containsKey(LlamaModel.LM_HEAD));
                assertArrayEquals(before, again.forward(m.create(PROMPT)).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void shardedAndTiedCheckpointsLoad() throws Exception {
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSeed(3).withTiedEmbeddings(true);
        Path single = TinyLlamaGenerator.generate(spec, tmp.resolve("single"));
        Path sharded = TinyLlamaGenerator.generate(spec.withShards(3), tmp.resolve("sharded"));
        assertTrue(Files.isRegularFile(sharded.resolve("model.safetensors.index.json")));
        assertTrue(Files.isRegularFile(sharded.resolve("model-00003-of-00003.safetensors")));
        try (LlamaModel a = CheckpointIO.load(single, Device.cpu(), DataType.FLOAT32);
             LlamaModel b = CheckpointIO.load(sharded, Device.cpu(), DataType.FLOAT32);
             NDManager m = Devices.newManager(Device.cpu())) {
            assertFalse(a.parameters().containsKey(LlamaModel.LM_HEAD));
            assertTrue(a.linear("lm_head").weight() == a.parameters().get(LlamaModel.EMBED));
            assertArrayEquals(a.forward(m.create(PROMPT)).toFloatArray(), b.forward(m.create(PROMPT)).toFloatArray(), 0f);
        }
    }

    @Test
    void halfPrecisionFilesLoadWithTheRoundedValues() throws Exception {
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSeed(11);
        String name = "model.layers.0.self_attn.q_proj.weight";
        float[] exact = RandomWeights.values(spec, name, new long[] {64, 64});
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            Path dir = TinyLlamaGenerator.generate(spec.withDtype(dtype), tmp.resolve(dtype.name()));
            try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
                 NDManager m = Devices.newManager(Device.cpu())) {
                float[] loaded = model.parameters().get(name).toFloatArray();
                double relTol = dtype == DType.F16 ? Math.pow(2, -11) : Math.pow(2, -8);
                boolean anyDifferent = false;
                for (int i = 0; i < exact.length; i++) {
                    float e = exact[i];
                    float tol = (float) Math.max(Math.abs(e) * relTol, dtype == DType.F16 ? 6e-8 : 1e-38);
                    assertEquals(e, loaded[i], tol, dtype + " element " + i);
                    anyDifferent |= e != loaded[i];
                    if (dtype == DType.BF16) {
                        assertEquals(0, Float.floatToRawIntBits(loaded[i]) & 0xFFFF, "bf16 keeps 8 mantissa bits");
                    }
                }
                assertTrue(anyDifferent, "half precision must round some values");
                assertEquals(new Shape(2, 8, 259), model.forward(m.create(PROMPT)).getShape());
            }
        }
    }

    @Test
    void float16ModelIsCloseToFloat32Model() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(5), tmp.resolve("h"));
        try (LlamaModel f32 = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
             LlamaModel f16 = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT16);
             NDManager m = Devices.newManager(Device.cpu())) {
            assertEquals(DataType.FLOAT16, f16.dataType());
            NDArray a = f32.forward(m.create(PROMPT));
            NDArray b = f16.forward(m.create(PROMPT));
            float maxDiff = a.sub(b).abs().max().getFloat();
            assertTrue(maxDiff < 2e-2f, "f16 vs f32 logits differ by " + maxDiff);
        }
    }

    @Test
    void kvCacheStepsMatchTheFullForward() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(2), tmp.resolve("kv"));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
             NDManager m = Devices.newManager(Device.cpu());
             KvCache cache = KvCache.create(model, m)) {
            NDArray full = model.forward(m.create(PROMPT));
            // prefill 5 tokens, then one token at a time
            NDArray pre = model.forward(ForwardInput.builder(m.create(PROMPT).get(new NDIndex(":, :5"))).cache(cache)
                    .build());
            assertTrue(pre.allClose(full.get(new NDIndex(":, :5, :")), 1e-5, 1e-5, false));
            for (int t = 5; t < 8; t++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray ids = step.create(PROMPT).get(new NDIndex(":, {}:{}", t, t + 1));
                    NDArray out = model.forward(ForwardInput.builder(ids).cache(cache).lastTokenOnly(true).build());
                    NDArray want = full.get(new NDIndex(":, {}:{}, :", t, t + 1));
                    assertTrue(out.allClose(want, 1e-5, 1e-5, false), "step " + t);
                    assertArrayEquals(want.argMax(-1).toLongArray(), out.argMax(-1).toLongArray());
                }
            }
            assertEquals(8, cache.length());
        }
    }

    @Test
    void kvCacheGrowsInPlaceAcrossItsCapacityAndKeepsNoStepArrays() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(4), tmp.resolve("kv-long"));
        int total = 150; // crosses the 64- and 128-position capacities
        java.util.Random rnd = new java.util.Random(1);
        int[][] ids = new int[2][total];
        for (int[] row : ids) {
            for (int i = 0; i < total; i++) {
                row[i] = 3 + rnd.nextInt(250);
            }
        }
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
             NDManager m = Devices.newManager(Device.cpu());
             KvCache cache = KvCache.create(model, m)) {
            NDArray full = model.forward(m.create(ids));
            model.forward(ForwardInput.builder(m.create(ids).get(new NDIndex(":, :3"))).cache(cache).build());
            assertEquals(KvCache.CAPACITY_STEP, cache.capacity());
            java.util.Set<Long> capacities = new java.util.TreeSet<>();
            for (int t = 3; t < total; t++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray in = step.create(ids).get(new NDIndex(":, {}:{}", t, t + 1));
                    NDArray out = model.forward(ForwardInput.builder(in).cache(cache).lastTokenOnly(true).build());
                    NDArray want = full.get(new NDIndex(":, {}:{}, :", t, t + 1));
                    assertTrue(out.allClose(want, 1e-4, 1e-4, false), "step " + t);
                }
                capacities.add(cache.capacity());
                // two buffers per layer and the mask: views of a step never stay in the cache's manager
                assertEquals(2L * model.dims().numLayers() + 1, cache.manager().getManagedArrays().size(),
                        "arrays in the cache's manager at step " + t);
            }
            assertEquals(java.util.Set.of(64L, 128L, 256L), capacities, "doubling, rounded to 64");
            assertEquals(total, cache.length());
        }
    }
}
