package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledStepTest {

    @TempDir
    static Path tmp;
    static Path modelDir;

    /** Three rows, left-padded to 6 prompt positions: row 0 by 2, row 1 not, row 2 by 4. */
    private static final long[][] PROMPT = {{0, 0, 40, 41, 42, 43}, {50, 51, 52, 53, 54, 55}, {0, 0, 0, 0, 60, 61}};
    private static final long[][] PROMPT_MASK = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 1, 1}};
    /** More steps than the cache's first capacity (64), so the buffers grow under the compiled step. */
    private static final int STEPS = 70;

    @BeforeAll
    static void setUp() throws Exception {
        modelDir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(11), tmp.resolve("model"));
        Devices.inferenceThread(); // like the serving engine's thread: no autograd graphs
    }

    @Test
    void matchesTheEagerForwardInF32() throws Exception {
        float worst = compare(DataType.FLOAT32, null);
        assertTrue(worst < 1e-4f, "max |compiled - eager| / max |eager| = " + worst);
    }

    /** Per-row LoRAs in each layout the serving engine hands the step. */
    @ParameterizedTest
    @EnumSource(CompiledStep.Layout.class)
    void matchesTheEagerForwardWithLoras(CompiledStep.Layout layout) throws Exception {
        float worst = compare(DataType.FLOAT32, layout);
        assertTrue(worst < 1e-4f, "max |compiled - eager| / max |eager| = " + worst);
    }

    @Test
    void matchesTheEagerForwardInF16() throws Exception {
        float worst = compare(DataType.FLOAT16, CompiledStep.Layout.GATHER);
        assertTrue(worst < 1e-2f, "max |compiled - eager| / max |eager| = " + worst);
    }

    @Test
    void aModelWithAttachedAdaptersIsNotCompiled() throws Exception {
        try (LlamaModel model = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT32);
             CompiledStep step = CompiledStep.compile(model)) {
            assertTrue(step.applies());
            AdaptableLinear q = model.linear("model.layers.0.self_attn.q_proj");
            NDManager m = model.manager();
            q.attach("x", LoraAdapter.create(m, m.zeros(new Shape(2, q.inFeatures())),
                    m.zeros(new Shape(q.outFeatures(), 2)), 2f, false));
            assertFalse(step.applies());
        }
    }

    @Test
    void badSourceFailsAtLoadWithTheLine() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            String ok = "class T(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
                    + "  def forward(self: __torch__.T, x: Tensor) -> Tensor:\n    return torch.relu(x) + 1\n";
            PtSymbolBlock block = TorchScript.load(m, "T", ok);
            NDArray out = ai.djl.pytorch.jni.IValueUtils.forward(block,
                    new ai.djl.ndarray.NDList(m.create(new float[] {-2f, 3f})), false).singletonOrThrow();
            assertArrayEquals(new float[] {1f, 4f}, out.toFloatArray());
            block.close();
            EngineException e = assertThrows(EngineException.class,
                    () -> TorchScript.load(m, "T", ok.replace("torch.relu", "torch.no_such_op")));
            assertTrue(e.getMessage().contains("no_such_op"), e.getMessage());
        }
    }

    /**
     * Prefills left-padded rows and decodes STEPS steps, eagerly into one cache and compiled into another; the worst
     * gap between their logits relative to the largest eager logit.
     */
    private float compare(DataType type, CompiledStep.Layout layout) throws Exception {
        float worst = 0;
        try (LlamaModel model = CheckpointIO.load(modelDir, Device.cpu(), type);
             CompiledStep compiled = CompiledStep.compile(model);
             NDManager run = model.manager().newSubManager();
             KvCache eagerCache = KvCache.create(model, run);
             KvCache compiledCache = KvCache.create(model, run)) {
            int rows = PROMPT.length;
            Loras loras = layout == null ? null : randomLoras(model, run, layout);
            CompiledStep.Lora lora = loras == null ? null : loras.compiled();
            RowDelta reference = loras == null ? null : asRowDelta(loras.reference());
            long[] position = new long[rows];
            long[][] promptPos = new long[rows][PROMPT[0].length];
            for (int r = 0; r < rows; r++) {
                long p = 0;
                for (int c = 0; c < PROMPT[r].length; c++) {
                    promptPos[r][c] = PROMPT_MASK[r][c] == 1 ? p++ : 0;
                }
                position[r] = p;
            }
            long[] next;
            try (NDManager sm = run.newSubManager()) {
                NDArray eager = model.forward(ForwardInput.builder(sm.create(PROMPT)).positions(sm.create(promptPos))
                        .attentionMask(sm.create(PROMPT_MASK)).cache(eagerCache).lastTokenOnly(true)
                        .rowDelta(reference).build());
                NDArray fast = compiled.forward(sm.create(PROMPT), sm.create(promptPos), sm.create(PROMPT_MASK),
                        compiledCache, lora);
                worst = gap(eager, fast);
                next = eager.argMax(-1).toLongArray();
            }
            assertEquals(eagerCache.length(), compiledCache.length());
            for (int s = 0; s < STEPS; s++) {
                try (NDManager sm = run.newSubManager()) {
                    long[][] ids = new long[rows][1];
                    long[][] pos = new long[rows][1];
                    for (int r = 0; r < rows; r++) {
                        ids[r][0] = next[r];
                        pos[r][0] = position[r]++;
                    }
                    NDArray eager = model.forward(ForwardInput.builder(sm.create(ids)).positions(sm.create(pos))
                            .cache(eagerCache).lastTokenOnly(true)
                            .rowDelta(reference).build());
                    NDArray fast = compiled.forward(sm.create(ids), sm.create(pos), null, compiledCache, lora);
                    worst = Math.max(worst, gap(eager, fast));
                    next = eager.argMax(-1).toLongArray();
                }
            }
            System.out.printf("compiled steps %s%s: max |compiled - eager| / max |eager| = %.2e, prefill + %d "
                    + "steps%n",
                    type, layout == null ? "" : " with LoRAs, layout " + layout, worst, STEPS);
            assertEquals(eagerCache.length(), compiledCache.length());
            assertTrue(compiledCache.capacity() >= PROMPT[0].length + STEPS);
        }
        return worst;
    }

    private static float gap(NDArray eager, NDArray fast) {
        assertEquals(eager.getShape(), fast.getShape());
        float[] e = eager.toFloatArray();
        float[] f = fast.toFloatArray();
        float scale = 0;
        float gap = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            gap = Math.max(gap, Math.abs(e[i] - f[i]));
        }
        return gap / scale;
    }

    /** A LoRA for the compiled step and the same LoRA in the gather layout, for the eager reference. */
    private record Loras(CompiledStep.Lora compiled, CompiledStep.Lora reference) {
    }

    /**
     * Random rank-3 factors for two slots (slot 0 zeros) on q, v and down of every layer and the LM head, rows
     * using slots {1, 0, 2}, in {@code layout}: SHARED gives every row slot 2's factors; ENTRIES puts each row's
     * factors, transposed, into entries {3, 0, 2} of 4.
     */
    private static Loras randomLoras(LlamaModel model, NDManager m, CompiledStep.Layout layout) {
        long[] slots = layout == CompiledStep.Layout.SHARED ? new long[] {2, 2, 2} : new long[] {1, 0, 2};
        long[] entries = {3, 0, 2};
        Random random = new Random(5);
        Map<String, NDArray[]> stacks = new LinkedHashMap<>();
        Map<String, NDArray[]> compiled = new LinkedHashMap<>();
        for (Map.Entry<String, AdaptableLinear> e : model.linears().entrySet()) {
            String name = e.getKey();
            if (!(name.endsWith("q_proj") || name.endsWith("v_proj") || name.endsWith("down_proj")
                    || name.equals("lm_head"))) {
                continue;
            }
            int in = e.getValue().inFeatures();
            int out = e.getValue().outFeatures();
            int rank = 3;
            float[] a = new float[3 * rank * in];
            float[] b = new float[3 * out * rank];
            for (int i = rank * in; i < a.length; i++) {
                a[i] = (float) random.nextGaussian() * 0.3f;
            }
            for (int i = out * rank; i < b.length; i++) {
                b[i] = (float) random.nextGaussian() * 0.3f;
            }
            DataType type = model.dataType();
            NDArray stackA = TorchOwned.create(m, a, new Shape(3, rank, in)).toType(type, false);
            NDArray stackB = TorchOwned.create(m, b, new Shape(3, out, rank)).toType(type, false);
            stacks.put(name, new NDArray[] {stackA, stackB});
            compiled.put(name, switch (layout) {
                case SHARED -> new NDArray[] {stackA.get(2), stackB.get(2)};
                case GATHER -> new NDArray[] {stackA, stackB};
                case ENTRIES -> {
                    NDArray entryA = m.zeros(new Shape(4, in, rank), type);
                    NDArray entryB = m.zeros(new Shape(4, rank, out), type);
                    for (int r = 0; r < slots.length; r++) {
                        entryA.set(new NDIndex(entries[r]), stackA.get(slots[r]).transpose());
                        entryB.set(new NDIndex(entries[r]), stackB.get(slots[r]).transpose());
                    }
                    yield new NDArray[] {entryA, entryB};
                }
            });
        }
        CompiledStep.Lora reference = new CompiledStep.Lora(stacks, TorchOwned.create(m, slots),
                CompiledStep.Layout.GATHER);
        NDArray rows = switch (layout) {
            case SHARED -> null;
            case GATHER -> reference.rows();
            case ENTRIES -> TorchOwned.create(m, entries);
        };
        return new Loras(new CompiledStep.Lora(compiled, rows, layout), reference);
    }

    /** A gather-layout LoRA as the eager forward's per-row delta. */
    private static RowDelta asRowDelta(CompiledStep.Lora lora) {
        return (linear, x) -> {
            NDArray[] f = lora.factors().get(linear.name());
            if (f == null) {
                return null;
            }
            NDArray a = f[0].get(new NDIndex("{}", lora.rows()));
            NDArray b = f[1].get(new NDIndex("{}", lora.rows()));
            a.attach(x.getManager());
            b.attach(x.getManager());
            return x.matMul(a.transpose(0, 2, 1)).matMul(b.transpose(0, 2, 1));
        };
    }
}
