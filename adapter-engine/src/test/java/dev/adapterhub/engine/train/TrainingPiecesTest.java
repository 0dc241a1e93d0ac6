package dev.adapterhub.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPiecesTest {

    @TempDir
    Path dir;

    @Test
    void maskedCrossEntropyMatchesAHostComputationAndItsGradient() {
        int b = 2;
        int t = 3;
        int v = 5;
        Random random = new Random(1);
        float[] logits = new float[b * t * v];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
        }
        long[] targets = {1, 4, 0, 2, 2, 3};
        float[] mask = {0, 1, 1, 1, 0, 1};
        double expected = 0;
        double[][] expectedGrad = new double[b * t][v];
        for (int p = 0; p < b * t; p++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits[p * v + k]);
            }
            double z = 0;
            for (int k = 0; k < v; k++) {
                z += Math.exp(logits[p * v + k] - max);
            }
            double logZ = max + Math.log(z);
            if (mask[p] > 0) {
                expected += logZ - logits[p * v + (int) targets[p]];
                for (int k = 0; k < v; k++) {
                    expectedGrad[p][k] = (Math.exp(logits[p * v + k] - logZ) - (k == targets[p] ? 1 : 0)) / 4.0;
                }
            }
        }
        expected /= 4.0;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(logits, new Shape(b, t, v));
            x.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = MaskedCrossEntropy.mean(x, manager.create(targets, new Shape(b, t)),
                        manager.create(mask, new Shape(b, t)));
                gc.backward(loss);
            }
            JniUtils.setGradMode(false);
            assertEquals(expected, loss.getFloat(), 1e-5);
            float[] grad = x.getGradient().toFloatArray();
            for (int p = 0; p < b * t; p++) {
                for (int k = 0; k < v; k++) {
                    assertEquals(expectedGrad[p][k], grad[p * v + k], 1e-6);
                }
            }
        }
    }

    @Test
    void adamWMatchesAReferenceImplementation() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.1;
        // two parameters of different shapes: "w" (3 values) and "u" (2x2), updated from one flat buffer
        double[] p = {0.5, -1.0, 2.0, 0.1, 0.2, -0.3, 0.4};
        double[][] grads = {{0.1, -0.2, 0.3, 0.05, -0.5, 0.2, 0.0}, {1.0, 0.5, -0.5, -0.1, 0.3, 0.3, 0.7},
            {-0.3, 0.0, 0.2, 0.9, -0.9, 0.1, -0.2}};
        double[] expected = reference(p, grads, lr, b1, b2, eps, wd, 3);
        try (NDManager manager = NDManager.newBaseManager(); AdamW adam = new AdamW(manager, b1, b2, eps, wd)) {
            JniUtils.setGradMode(false);
            Map<String, NDArray> params = arrays(manager, p);
            for (int step = 1; step <= 3; step++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    adam.step(params, arrays(stepManager, grads[step - 1]), lr);
                }
            }
            assertArrayEquals(expected, values(params), 1e-6);
            assertEquals(3, adam.steps());
            assertEquals(4, adam.state().size());
            assertEquals(new Shape(2, 2), adam.state().get("exp_avg_sq.u").getShape());
            // Nothing piles up in the optimizer's or the parameter's manager across steps.
            assertEquals(manager, params.get("w").getManager());
        }
    }

    /**
     * The training loop's update (one TorchScript call: gradients read, flattened, clipped, AdamW, zeroed) against
     * the same steps through DJL calls ({@link FlatGradients}, {@link AdamW#step}), with weight decay and clipping
     * active on some steps and not on others.
     */
    @Test
    void theScriptedUpdateEqualsTheDjlPath() {
        double[] start = {0.5, -1.0, 2.0, 0.1, 0.2, -0.3, 0.4};
        double[][] grads = {{0.1, -0.2, 0.3, 0.05, -0.5, 0.2, 0.0}, {1.0, 0.5, -0.5, -0.1, 0.3, 0.3, 0.7},
            {-3.0, 0.0, 2.0, 9.0, -9.0, 1.0, -2.0}, {0.2, 0.1, 0.0, -0.1, 0.05, 0.3, -0.2}};
        try (NDManager manager = NDManager.newBaseManager();
             AdamW scripted = new AdamW(manager, 0.9, 0.999, 1e-8, 0.1);
             AdamW reference = new AdamW(manager, 0.9, 0.999, 1e-8, 0.1)) {
            JniUtils.setGradMode(false);
            assertTrue(scripted.scripted(), "the update script compiles");
            Map<String, NDArray> a = arrays(manager, start);
            Map<String, NDArray> b = arrays(manager, start);
            a.values().forEach(p -> p.setRequiresGradient(true));
            b.values().forEach(p -> p.setRequiresGradient(true));
            for (int step = 1; step <= grads.length; step++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    accumulate(a, grads[step - 1], stepManager);
                    accumulate(b, grads[step - 1], stepManager);
                    double norm = scripted.update(a, 1.0, 0.01, stepManager);

                    Map<String, NDArray> g = new LinkedHashMap<>();
                    b.forEach((name, p) -> g.put(name, p.getGradient()));
                    g.values().forEach(x -> x.attach(stepManager));
                    FlatGradients flat = FlatGradients.of(b, g, stepManager);
                    double expectedNorm = flat.clip(1.0);
                    reference.step(b, flat, 0.01);
                    b.values().forEach(p -> JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p));

                    assertEquals(expectedNorm, norm, 1e-12 * expectedNorm, "norm of step " + step);
                    assertArrayEquals(values(b), values(a), 1e-7, "parameters after step " + step);
                    for (NDArray p : a.values()) {
                        try (NDArray zero = p.getGradient()) {
                            assertEquals(0f, zero.abs().max().getFloat(), "gradients are zeroed");
                        }
                    }
                }
            }
            assertTrue(Math.abs(values(a)[3] - start[3]) > 1e-3, "the parameters moved");
            assertEquals(reference.steps(), scripted.steps());
            reference.state().forEach((name, moment) -> assertArrayEquals(moment.toFloatArray(),
                    scripted.state().get(name).toFloatArray(), 1e-9f, name));
        }
    }

    /** Adds {@code grads} (laid out as {@link #arrays}) to the parameters' gradients through a backward pass. */
    private static void accumulate(Map<String, NDArray> params, double[] grads, NDManager manager) {
        Map<String, NDArray> coefficients = arrays(manager, grads);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray term = e.getValue().mul(coefficients.get(e.getKey())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
        JniUtils.setGradMode(false);
    }

    @Test
    void adamWResumesFromItsStateExactly() {
        double[] p = {0.5, -1.0, 2.0, 0.1, 0.2, -0.3, 0.4};
        double[][] grads = {{0.1, -0.2, 0.3, 0.05, -0.5, 0.2, 0.0}, {1.0, 0.5, -0.5, -0.1, 0.3, 0.3, 0.7},
            {-0.3, 0.0, 0.2, 0.9, -0.9, 0.1, -0.2}};
        double[] expected = reference(p, grads, 0.01, 0.9, 0.999, 1e-8, 0.0, 3);
        try (NDManager manager = NDManager.newBaseManager();
             AdamW first = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0);
             AdamW second = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0)) {
            JniUtils.setGradMode(false);
            Map<String, NDArray> params = arrays(manager, p);
            for (int step = 1; step <= 2; step++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    first.step(params, arrays(stepManager, grads[step - 1]), 0.01);
                }
            }
            second.restore(first.state(), first.steps());
            try (NDManager stepManager = manager.newSubManager()) {
                second.step(params, arrays(stepManager, grads[2]), 0.01);
            }
            assertArrayEquals(expected, values(params), 1e-6);
        }
    }

    private static double[] reference(double[] start, double[][] grads, double lr, double b1, double b2, double eps,
                                      double wd, int steps) {
        double[] p = start.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int step = 1; step <= steps; step++) {
            double[] g = grads[step - 1];
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, step));
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, step)) + eps;
                p[i] -= lr * mHat / denom;
            }
        }
        return p;
    }

    /** "w" (3 values) and "u" (2x2) from 7 values: the layout of the parameters and of their gradients. */
    private static Map<String, NDArray> arrays(NDManager manager, double[] v) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("w", manager.create(new float[] {(float) v[0], (float) v[1], (float) v[2]}));
        out.put("u", manager.create(new float[] {(float) v[3], (float) v[4], (float) v[5], (float) v[6]},
                new Shape(2, 2)));
        return out;
    }

    private static double[] values(Map<String, NDArray> params) {
        float[] w = params.get("w").toFloatArray();
        float[] u = params.get("u").toFloatArray();
        return new double[] {w[0], w[1], w[2], u[0], u[1], u[2], u[3]};
    }

    @Test
    void clippingScalesToTheMaximumNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("a", manager.zeros(new Shape(2)));
            params.put("b", manager.zeros(new Shape(2)));
            Map<String, NDArray> grads = new LinkedHashMap<>();
            grads.put("a", manager.create(new float[] {3, 0}));
            grads.put("b", manager.create(new float[] {0, 4}));
            FlatGradients flat = FlatGradients.of(params, grads, manager);
            assertEquals(5.0, flat.clip(1.0), 1e-6);
            assertEquals(1.0, flat.norm(), 1e-5);
            assertArrayEquals(new float[] {0.6f, 0f}, flat.slice(flat.flat(), 0).toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {0f, 0.8f}, flat.slice(flat.flat(), 1).toFloatArray(), 1e-5f);
            assertEquals(1.0, flat.clip(10.0), 1e-5, "below the maximum nothing changes");
            assertArrayEquals(new float[] {0.6f, 0f}, flat.slice(flat.flat(), 0).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void schedulesWarmUpAndDecay() {
        LearningRateSchedule cosine = LearningRateSchedule.of(LearningRateSchedule.Kind.COSINE, 1.0, 4, 104, 0.1);
        assertEquals(0.2, cosine.at(0), 1e-12);
        assertEquals(1.0, cosine.at(4), 1e-12);
        assertEquals(0.55, cosine.at(54), 1e-12);
        assertEquals(0.1, cosine.at(104), 1e-12);
        LearningRateSchedule linear = LearningRateSchedule.of(LearningRateSchedule.Kind.LINEAR, 2.0, 0, 10, 0.0);
        assertEquals(1.0, linear.at(5), 1e-12);
        assertEquals(2.0, LearningRateSchedule.of(LearningRateSchedule.Kind.CONSTANT, 2.0, 0, 10, 0).at(9), 0);
    }

    @Test
    void collateMasksOnlyCompletionTargetsAndPads() {
        TokenizedExample a = new TokenizedExample(new int[] {1, 10, 11}, new int[] {20, 2});
        TokenizedExample b = new TokenizedExample(new int[] {1, 12}, new int[] {21, 22, 23, 2});
        HostBatch batch = HostBatch.collate(List.of(a, b), 0, 64);
        assertEquals(5, batch.length());
        assertArrayEquals(new long[] {1, 10, 11, 20, 0, 1, 12, 21, 22, 23}, batch.inputIds());
        assertArrayEquals(new long[] {10, 11, 20, 2, 0, 12, 21, 22, 23, 2}, batch.targets());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 1, 1}, batch.lossMask());
        assertEquals(6, batch.lossTokens());
        HostBatch cut = HostBatch.collate(List.of(b), 0, 3);
        assertArrayEquals(new long[] {21, 22, 23}, cut.inputIds());
        assertArrayEquals(new long[] {22, 23, 2}, cut.targets());
        assertArrayEquals(new float[] {1, 1, 1}, cut.lossMask());
    }

    @Test
    void samplerCoversEveryExampleAndResumesExactly() {
        List<TokenizedExample> examples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            examples.add(new TokenizedExample(new int[] {i}, new int[] {100 + i}));
        }
        BatchSampler sampler = new BatchSampler(examples, 4, 7);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            sampler.next().forEach(e -> seen.add(e.prompt()[0]));
        }
        assertEquals(10, seen.size());
        sampler.next();
        BatchSampler.State state = sampler.state();
        List<TokenizedExample> expected = sampler.next();
        BatchSampler resumed = new BatchSampler(examples, 4, 7);
        resumed.restore(state);
        List<TokenizedExample> got = resumed.next();
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(expected.get(i).prompt(), got.get(i).prompt());
        }
        BatchSampler otherSeed = new BatchSampler(examples, 10, 8);
        BatchSampler sameSeed = new BatchSampler(examples, 10, 7);
        assertNotEquals(order(otherSeed.next()), order(sameSeed.next()));
    }

    private static List<Integer> order(List<TokenizedExample> batch) {
        return batch.stream().map(e -> e.prompt()[0]).toList();
    }

    @Test
    void datasetReadsJsonlSplitsDeterministicallyAndRejectsBadLines() throws IOException {
        Path file = dir.resolve("data.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"prompt\":\"p").append(i).append("\",\"completion\":\"c").append(i).append("\"}\n");
        }
        sb.append("\n");
        Files.writeString(file, sb.toString());
        PromptCompletionDataset data = PromptCompletionDataset.read(file);
        assertEquals(20, data.size());
        PromptCompletionDataset.Split split = data.split(0.25, 3);
        assertEquals(15, split.train().size());
        assertEquals(5, split.eval().size());
        assertEquals(split.eval().examples(), data.split(0.25, 3).eval().examples());
        Set<PromptCompletion> train = new HashSet<>(split.train().examples());
        split.eval().examples().forEach(e -> assertTrue(!train.contains(e)));

        Files.writeString(file, "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":1}\n");
        InvalidDatasetException e = assertThrows(InvalidDatasetException.class, () -> PromptCompletionDataset.read(file));
        assertTrue(e.getMessage().contains("line 2"));
        Files.writeString(file, "not json\n");
        assertThrows(InvalidDatasetException.class, () -> PromptCompletionDataset.read(file));
    }
}
