package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaptersTest {

    static final long[][] IDS = {{1, 40, 50, 60, 70, 80}, {1, 200, 3, 17, 250, 9}, {1, 5, 6, 7, 8, 9}, {1, 9, 9, 9, 2, 2}};

    @TempDir
    static Path tmp;
    static LlamaModel model;

    @BeforeAll
    static void load() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(21), tmp.resolve("m"));
        model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static NDArray randn(NDManager m, long seed, float std, long... shape) {
        Random r = new Random(seed);
        int n = (int) new Shape(shape).size();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return m.create(v, new Shape(shape));
    }

    /** Attaches a random LoRA (B non-zero so it changes the output) to every q/v projection. */
    static void attachLora(String name, long seed, int r, boolean rsLora) {
        for (AdaptableLinear l : model.linears().values()) {
            if (l.name().endsWith("q_proj") || l.name().endsWith("v_proj") || l.name().endsWith("down_proj")) {
                NDArray a = randn(model.manager(), seed++, 0.2f, r, l.inFeatures());
                NDArray b = randn(model.manager(), seed++, 0.2f, l.outFeatures(), r);
                l.attach(name, LoraAdapter.create(model.manager(), a, b, 16f, rsLora));
            }
        }
    }

    static void detachAll(String name) {
        assertTrue(model.adapterNames().contains(name));
        assertEquals(6, model.removeAdapter(name)); // q, v, down of 2 layers
        assertFalse(model.adapterNames().contains(name));
    }

    @Test
    void loraChangesTheOutputAndMergedEqualsUnmerged() {
        try (NDManager m = Devices.newManager(Device.cpu())) {
            NDArray base = model.forward(m.create(IDS));
            float[] q0 = model.linear("model.layers.0.self_attn.q_proj").weight().toFloatArray();
            attachLora("x", 100, 4, false);
            try {
                NDArray unmerged = model.forward(m.create(IDS));
                float change = unmerged.sub(base).abs().max().getFloat();
                assertTrue(change > 1e-2f, "LoRA must change the logits, max change " + change);
                for (AdaptableLinear l : model.linears().values()) {
                    if (l.adapters().containsKey("x")) {
                        l.merge("x");
                    }
                }
                NDArray merged = model.forward(m.create(IDS));
                float diff = merged.sub(unmerged).abs().max().getFloat();
                assertTrue(diff < 1e-4f, "merged vs unmerged logits differ by " + diff);
                assertThrows(IllegalStateException.class,
                        () -> model.linear("model.layers.0.self_attn.q_proj").merge("x"));
                for (AdaptableLinear l : model.linears().values()) {
                    if (l.adapters().containsKey("x")) {
                        l.unmerge("x");
                    }
                }
                // fp32: W + ΔW - ΔW is within one ulp of |W| + |ΔW| per element.
                float[] q1 = model.linear("model.layers.0.self_attn.q_proj").weight().toFloatArray();
                assertArrayEquals(q0, q1, 2e-6f);
                NDArray again = model.forward(m.create(IDS));
                assertTrue(again.sub(unmerged).abs().max().getFloat() < 1e-4f);
            } finally {
                detachAll("x");
            }
            // merge + unmerge leaves W within rounding of the original, so the base logits are close, not equal
            assertArrayEquals(base.toFloatArray(), model.forward(m.create(IDS)).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void mismatchedLoraIsRefused() {
        AdaptableLinear k = model.linear("model.layers.0.self_attn.k_proj"); // [32, 64]
        try (NDManager m = Devices.newManager(Device.cpu())) {
            LoraAdapter wrongOut = LoraAdapter.create(m, m.zeros(new Shape(2, 64)), m.zeros(new Shape(64, 2)), 1f, false);
            assertThrows(IllegalArgumentException.class, () -> k.attach("w", wrongOut));
            LoraAdapter wrongType = LoraAdapter.create(m, m.zeros(new Shape(2, 64), DataType.FLOAT16),
                    m.zeros(new Shape(32, 2), DataType.FLOAT16), 1f, false);
            assertThrows(IllegalArgumentException.class, () -> k.attach("w", wrongType));
            assertThrows(IllegalArgumentException.class,
                    () -> LoraAdapter.create(m, m.zeros(new Shape(2, 64)), m.zeros(new Shape(32, 3)), 1f, false));
            assertTrue(k.adapters().isEmpty());
        }
    }

    @Test
    void rsLoraUsesAlphaOverSquareRootOfRank() {
        assertTrue(Math.abs(LoraAdapter.scaling(16f, 4, true) - 8f) < 1e-6);
        assertTrue(Math.abs(LoraAdapter.scaling(16f, 4, false) - 4f) < 1e-6);
    }

    @Test
    void perRowAdaptersMatchEachAdapterAlone() {
        try (NDManager m = Devices.newManager(Device.cpu())) {
            attachLora("a", 300, 4, false);
            attachLora("b", 400, 2, true);
            try {
                String[] rows = {"b", ForwardContext.BASE, "a", null};
                NDArray mixed = model.forward(ForwardInput.builder(m.create(IDS)).rowAdapters(rows).build());
                for (int i = 0; i < rows.length; i++) {
                    for (AdaptableLinear l : model.linears().values()) {
                        l.setActive(rows[i] == null ? Set.of("a", "b") : rows[i].isEmpty() ? Set.of() : Set.of(rows[i]));
                    }
                    NDArray alone = model.forward(m.create(new long[][] {IDS[i]}));
                    NDArray row = mixed.get(i).expandDims(0);
                    float diff = row.sub(alone).abs().max().getFloat();
                    assertTrue(diff < 1e-5f, "row " + i + " differs by " + diff);
                }
                model.setActiveAdapters(Set.of("a", "b"));
            } finally {
                detachAll("a");
                detachAll("b");
            }
        }
    }

    @Test
    void sparseFuseChangesOnlyTheIndexedEntriesAndUnfuseRestoresBitExactly() {
        AdaptableLinear l = model.linear("model.layers.1.mlp.up_proj");
        float[] before = l.weight().toFloatArray();
        try (NDManager m = Devices.newManager(Device.cpu())) {
            int k = 200;
            long[] idx = new Random(5).longs(0, before.length).distinct().limit(k).toArray();
            NDArray values = randn(m, 9, 0.3f, k);
            float[] v = values.toFloatArray();
            NDArray logitsBase = model.forward(m.create(IDS));
            l.fuseSparse("s", m.create(idx), values, 2f);
            float[] fused = l.weight().toFloatArray();
            int changed = 0;
            java.util.Set<Long> set = new java.util.HashSet<>();
            for (int i = 0; i < k; i++) {
                set.add(idx[i]);
                assertTrue(Math.abs(fused[(int) idx[i]] - (before[(int) idx[i]] + 2f * v[i])) < 1e-6f);
            }
            for (int i = 0; i < before.length; i++) {
                if (!set.contains((long) i)) {
                    assertTrue(before[i] == fused[i], "untouched entry " + i + " changed");
                } else if (before[i] != fused[i]) {
                    changed++;
                }
            }
            assertTrue(changed > k / 2);
            assertFalse(model.forward(m.create(IDS)).allClose(logitsBase, 1e-6, 1e-6, false));
            assertThrows(IllegalStateException.class, () -> l.fuseSparse("s", m.create(idx), values, 1f));
            l.unfuseSparse("s");
            float[] after = l.weight().toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertTrue(Float.floatToRawIntBits(before[i]) == Float.floatToRawIntBits(after[i]), "entry " + i);
            }
            assertArrayEquals(logitsBase.toFloatArray(), model.forward(m.create(IDS)).toFloatArray(), 0f);
            assertNull(l.adapters().get("s"));
        }
    }

    /**
     * Several modules fused and restored as one scatter call each way (the serving switcher's path): every weight
     * holds exactly the resident values, then is bit-exactly its old self; a bad module refuses the whole call.
     */
    @Test
    void modulesFuseAndRestoreTogetherInOneCall() {
        String[] modules = {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj", "lm_head"};
        float[][] before = new float[modules.length][];
        try (NDManager m = Devices.newManager(Device.cpu())) {
            java.util.List<ResidentSparse> parts = new java.util.ArrayList<>();
            long[][] idx = new long[modules.length][];
            float[][] values = new float[modules.length][];
            for (int i = 0; i < modules.length; i++) {
                AdaptableLinear l = model.linear(modules[i]);
                before[i] = l.weight().toFloatArray();
                idx[i] = new Random(20 + i).longs(0, before[i].length).distinct().limit(50 + 10 * i).toArray();
                NDArray indices = m.create(idx[i]);
                NDArray fused = randn(m, 30 + i, 1f, idx[i].length);
                values[i] = fused.toFloatArray();
                parts.add(new ResidentSparse(modules[i], indices, fused, l.gatherFlat(indices, m)));
            }
            java.util.List<ResidentSparse> bad = new java.util.ArrayList<>(parts);
            ResidentSparse last = parts.get(2);
            bad.set(2, new ResidentSparse(last.module(), last.flatIndices(), last.fusedValues().toType(
                    DataType.FLOAT64, false), last.originals()));
            assertThrows(IllegalArgumentException.class, () -> model.fuseSparseResident("s", bad));
            for (int i = 0; i < modules.length; i++) {
                assertArrayEquals(before[i], model.linear(modules[i]).weight().toFloatArray(), 0f, "untouched");
                assertTrue(model.linear(modules[i]).fusedAdapters().isEmpty());
            }

            model.fuseSparseResident("s", parts);
            for (int i = 0; i < modules.length; i++) {
                float[] w = model.linear(modules[i]).weight().toFloatArray();
                float[] expected = before[i].clone();
                for (int k = 0; k < idx[i].length; k++) {
                    expected[(int) idx[i][k]] = values[i][k];
                }
                assertArrayEquals(expected, w, 0f, modules[i]);
                assertEquals(Set.of("s"), model.linear(modules[i]).fusedAdapters());
            }
            assertTrue(model.scattersInOneCall(), "the scatter script compiled and ran");
            model.unfuseSparse("s", java.util.Arrays.asList(modules));
            for (int i = 0; i < modules.length; i++) {
                float[] after = model.linear(modules[i]).weight().toFloatArray();
                for (int k = 0; k < after.length; k++) {
                    assertEquals(Float.floatToRawIntBits(before[i][k]), Float.floatToRawIntBits(after[k]),
                            modules[i] + " entry " + k);
                }
                assertTrue(model.linear(modules[i]).fusedAdapters().isEmpty());
            }
            assertThrows(IllegalStateException.class, () -> model.unfuseSparse("s", java.util.List.of(modules[0])));
        }
    }

    @Test
    void unfuseDoesNotDependOnTheCallersIndexArray() {
        // The caller's index array may be freed or reused once fuseSparse returns (ShiraPeft builds it in a
        // temporary manager from Java memory); the fusion must keep indices of its own.
        AdaptableLinear l = model.linear("model.layers.0.mlp.up_proj");
        float[] before = l.weight().toFloatArray();
        try (NDManager m = Devices.newManager(Device.cpu())) {
            int k = 100;
            long[] idx = new Random(6).longs(1, before.length).distinct().limit(k).toArray();
            NDArray indices = m.create(idx);
            l.fuseSparse("s", indices, randn(m, 10, 0.3f, k), 1f);
            indices.muli(0); // the caller reuses its array: every index now points at entry 0

            l.unfuseSparse("s");
            float[] after = l.weight().toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertTrue(Float.floatToRawIntBits(before[i]) == Float.floatToRawIntBits(after[i]), "entry " + i);
            }
        }
    }
}
