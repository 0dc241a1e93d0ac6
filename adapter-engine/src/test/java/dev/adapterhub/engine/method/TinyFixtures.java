package dev.adapterhub.engine.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.adapterhub.engine.checkpoint.HfConfigJson;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.RandomWeights;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny random Llama models built in memory and a token-level task (reverse three tokens). */
final class TinyFixtures {

    static final TinyLlamaSpec SPEC = TinyLlamaSpec.tiny().withSeed(42);

    private TinyFixtures() {
    }

    static LlamaModel model() {
        Devices.configureOffline();
        NDManager manager = Devices.newManager();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        RandomWeights.generate(SPEC).forEach((name, w) -> arrays.put(name, manager.create(w.values(), new Shape(w.shape()))));
        return LlamaModel.fromWeights(dims(), manager, arrays);
    }

    /** The engine's reading of the spec's config.json. */
    static LlamaDims dims() {
        try {
            return HfConfigJson.dims(SPEC.config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** prompt: BOS a b c SEP, completion: c b a EOS. */
    static List<TokenizedExample> reverseTask(int count, long seed) {
        Random random = new Random(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int a = 3 + random.nextInt(20);
            int b = 3 + random.nextInt(20);
            int c = 3 + random.nextInt(20);
            out.add(new TokenizedExample(new int[] {1, a, b, c, 250}, new int[] {c, b, a, 2}));
        }
        return out;
    }

    static TrainingConfig.Builder config(int steps, double lr) {
        return TrainingConfig.builder().setSteps(steps).setLearningRate(lr).optBatchSize(8).optMaxLength(16)
                .optSchedule(dev.adapterhub.engine.train.LearningRateSchedule.Kind.CONSTANT).optGradientBatches(2);
    }

    /** Logits of fixed inputs, autograd off. */
    static float[] logits(LlamaModel model, long[] ids, int rows) {
        JniUtils.setGradMode(false);
        try (NDManager m = model.manager().newSubManager()) {
            NDArray input = m.create(ids, new Shape(rows, ids.length / rows));
            return model.forward(input).toFloatArray();
        }
    }

    static long[] probeIds() {
        long[] ids = new long[2 * 9];
        Random random = new Random(5);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + random.nextInt(250);
        }
        return ids;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
