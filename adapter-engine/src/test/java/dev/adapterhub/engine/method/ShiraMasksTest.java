package dev.adapterhub.engine.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.method.shira.ShiraMasks;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.train.BatchSampler;
import dev.adapterhub.engine.train.GradientEstimator;
import dev.adapterhub.engine.train.MethodContext;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShiraMasksTest {

    @Test
    void randomMasksAreDistinctSortedAndSeeded() {
        long[] a = ShiraMasks.random(1000, 300, 1);
        assertEquals(300, new HashSet<>(Arrays.stream(a).boxed().toList()).size());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1] && a[i] < 1000 && a[0] >= 0);
        }
        assertArrayEquals(a, ShiraMasks.random(1000, 300, 1));
        assertTrue(!Arrays.equals(a, ShiraMasks.random(1000, 300, 2)));
        assertEquals(1000, ShiraMasks.random(1000, 1000, 3).length);
        assertEquals(4 * (64 + 128), ShiraMasks.count(4, 64, 128));
        assertEquals(6, ShiraMasks.count(4, 2, 3));
    }

    @Test
    void topKPicksTheLargestScores() {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] top = ShiraMasks.topK(m.create(new float[] {0.1f, 5f, -3f, 2f, 4f, 0f}), 3);
            assertArrayEquals(new long[] {1, 3, 4}, top);
        }
    }

    @Test
    void magnitudeAndGradientMasksSelectTopEntriesOfEachLayer() {
        List<ShiraMaskType> types = List.of(ShiraMaskType.WEIGHT_MAGNITUDE, ShiraMaskType.GRADIENT, ShiraMaskType.SNIP);
        for (ShiraMaskType type : types) {
            try (LlamaModel model = TinyFixtures.model(); ShiraMethod method = new ShiraMethod(2, type)) {
                method.prepare(new MethodContext(model, 0, 1e-3, new GradientEstimator(model,
                        new BatchSampler(TinyFixtures.reverseTask(8, 1), 4, 0), 0, 16, 1)));
                if (type != ShiraMaskType.WEIGHT_MAGNITUDE) {
                    continue; // gradient-based masks are exercised for training in MethodTrainingTest
                }
                for (AdaptableLinear l : LoraSettings.selectTargets(model, LoraSettings.ALL_PROJECTIONS)) {
                    long[] idx = method.adapter(l.name()).flatIndices().toLongArray();
                    float[] w = l.weight().toFloatArray();
                    Set<Long> mask = new HashSet<>(Arrays.stream(idx).boxed().toList());
                    float minIn = Float.MAX_VALUE;
                    float maxOut = 0;
                    for (int i = 0; i < w.length; i++) {
                        if (mask.contains((long) i)) {
                            minIn = Math.min(minIn, Math.abs(w[i]));
                        } else {
                            maxOut = Math.max(maxOut, Math.abs(w[i]));
                        }
                    }
                    assertTrue(minIn >= maxOut, l.name());
                }
            }
        }
    }
}
