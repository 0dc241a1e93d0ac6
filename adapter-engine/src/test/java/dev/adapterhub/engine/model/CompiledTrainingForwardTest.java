package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
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
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledTrainingForwardTest {

    @TempDir
    static Path tmp;
    static Path modelDir;

    private static final String[] LORA_TARGETS = {"self_attn.q_proj", "self_attn.v_proj", "mlp.down_proj"};
    /** A full fine-tuning weight: its gradient must also flow through the script. */
    private static final String TRAINED_WEIGHT = "model.layers.1.mlp.up_proj";

    @BeforeAll
    static void setUp() throws Exception {
        // GQA (4 heads on 2 KV heads), so the script's K/V expansion is exercised
        modelDir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(5), tmp.resolve("model"));
    }

    /**
     * Logits and gradients of a weighted sum of the logits, eager vs compiled; the compiled forward runs three times
     * because TorchScript's profiling executor optimises the graph after its first runs.
     */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT32", "FLOAT16"})
    void matchesTheEagerForwardAndItsGradients(DataType base) throws Exception {
        boolean half = base == DataType.FLOAT16;
        try (LlamaModel model = CheckpointIO.load(modelDir, Device.cpu(), base);
             CompiledTrainingForward compiled = CompiledTrainingForward.compile(model);
             NDManager m = model.manager().newSubManager()) {
            Map<String, NDArray> params = attachLoras(model);
            if (!half) { // DJL's toType has no autograd: an F16 base is frozen
                params.put(TRAINED_WEIGHT, model.linear(TRAINED_WEIGHT).weight());
            }
            params.values().forEach(p -> p.setRequiresGradient(true));
            assertTrue(compiled.applies());
            Random r = new Random(3);
            long[] ids = new long[2 * 7];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(model.dims().vocabSize());
            }
            NDArray input = m.create(ids, new Shape(2, 7));
            NDArray probe = m.randomNormal(new Shape(2, 7, model.dims().vocabSize()));
            Pass eager = pass(() -> model.forward(ForwardInput.builder(input).computeType(DataType.FLOAT32).build()),
                    probe, params);
            float tolerance = half ? 1e-2f : 1e-4f;
            for (int run = 0; run < 3; run++) {
                Pass c = pass(() -> compiled.forward(input), probe, params);
                assertTrue(relativeGap(eager.logits, c.logits) < tolerance,
                        "run " + run + ": logits gap " + relativeGap(eager.logits, c.logits));
                for (String name : params.keySet()) {
                    float gap = relativeGap(eager.gradients.get(name), c.gradients.get(name));
                    assertTrue(gap < tolerance, "run " + run + ": gradient of " + name + " gap " + gap);
                }
            }
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    @Test
    void twoLorasOnALinearOrAnotherAdapterKindTrainEagerly() throws Exception {
        try (LlamaModel model = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT32);
             CompiledTrainingForward compiled = CompiledTrainingForward.compile(model)) {
            assertTrue(compiled.applies()); // no adapters: full fine-tuning
            attachLoras(model);
            assertTrue(compiled.applies());
            AdaptableLinear q = model.linear("model.layers.0.self_attn.q_proj");
            NDManager m = model.manager();
            q.attach("second", LoraAdapter.create(m, m.zeros(new Shape(2, q.inFeatures())),
                    m.zeros(new Shape(q.outFeatures(), 2)), 2f, false));
            assertFalse(compiled.applies());
            try (NDManager step = m.newSubManager()) {
                NDArray ids = step.create(new long[] {1, 2, 3}, new Shape(1, 3));
                assertThrows(IllegalStateException.class, () -> compiled.forward(ids));
            }
            q.setActive(java.util.Set.of("lora")); // the second one inactive: one LoRA applies again
            assertTrue(compiled.applies());
        }
    }

    /** Random non-zero F32 factors (scale 2) on three projections of every layer, all named "lora". */
    private static Map<String, NDArray> attachLoras(LlamaModel model) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        NDManager m = model.manager();
        for (int l = 0; l < model.dims().numLayers(); l++) {
            for (String target : LORA_TARGETS) {
                String name = "model.layers." + l + "." + target;
                AdaptableLinear linear = model.linear(name);
                NDArray a = m.randomNormal(0f, 0.1f, new Shape(4, linear.inFeatures()), DataType.FLOAT32);
                NDArray b = m.randomNormal(0f, 0.1f, new Shape(linear.outFeatures(), 4), DataType.FLOAT32);
                linear.attach("lora", LoraAdapter.create(m, a, b, 8f, false));
                params.put(name + ".lora_A", a);
                params.put(name + ".lora_B", b);
            }
        }
        return params;
    }

    private record Pass(float[] logits, Map<String, float[]> gradients) {
    }

    private static Pass pass(Supplier<NDArray> forward, NDArray probe, Map<String, NDArray> params) {
        float[] logits;
        try (NDManager step = probe.getManager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = forward.get();
                out.attach(step);
                assertEquals(probe.getShape(), out.getShape());
                assertEquals(DataType.FLOAT32, out.getDataType());
                NDArray loss = out.mul(probe).sum();
                collector.backward(loss);
                logits = out.toFloatArray();
            }
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            try (NDArray g = p.getGradient()) {
                gradients.put(name, g.toFloatArray());
            }
            JniUtils.zeroGrad((PtNDArray) p);
        });
        JniUtils.setGradMode(false);
        return new Pass(logits, gradients);
    }

    private static float relativeGap(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        float worst = 0;
        float scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(scale > 0, "all zero: nothing compared");
        return worst / scale;
    }
}
