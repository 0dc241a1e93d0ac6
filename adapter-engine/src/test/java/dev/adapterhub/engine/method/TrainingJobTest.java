package dev.adapterhub.engine.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.method.shira.ShiraTrainingAdapter;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TrainingCheckpoint;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingJobTest {

    private static final LoraSettings SETTINGS = new LoraSettings(4, 8f, false, LoraSettings.ALL_PROJECTIONS);

    @TempDir
    Path dir;

    @Test
    void resumingFromACheckpointMatchesUninterruptedTraining() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(24, 4);
        TrainingConfig config = TinyFixtures.config(6, 5e-3).optSchedule(
                dev.adapterhub.engine.train.LearningRateSchedule.Kind.COSINE).optWarmupSteps(2).optCheckpointEvery(3)
                .build();
        Map<String, float[]> straight;
        List<Double> straightLosses;
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(SETTINGS)) {
            TrainingResult r = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(config).build().run();
            straight = snapshot(method);
            straightLosses = r.losses();
        }
        Path checkpoints = dir.resolve("ckpt");
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(SETTINGS)) {
            TrainingResult r = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(config).optCheckpointDirectory(checkpoints).optStopAfter(3).build().run();
            assertEquals(3, r.losses().size());
        }
        Path step3 = TrainingJob.checkpointPath(checkpoints, 3);
        assertTrue(TrainingCheckpoint.isComplete(step3));
        Map<String, float[]> resumed;
        List<Double> resumedLosses;
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(SETTINGS)) {
            TrainingResult r = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(config).optResumeFrom(step3).build().run();
            resumed = snapshot(method);
            resumedLosses = r.losses();
            assertEquals(0, r.prepareMillis());
        }
        assertEquals(3, resumedLosses.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(straightLosses.get(3 + i), resumedLosses.get(i), 1e-6);
        }
        assertEquals(straight.keySet(), resumed.keySet());
        for (String k : straight.keySet()) {
            assertTrue(TinyFixtures.maxAbsDiff(straight.get(k), resumed.get(k)) < 1e-6, k);
        }
    }

    private static Map<String, float[]> snapshot(TrainingMethod method) {
        Map<String, float[]> out = new LinkedHashMap<>();
        method.trainableParameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /**
     * Regression: LoRA-SB's frozen factors once aliased a Java-backed SVD buffer (DJL's same-device
     * toDevice(copy=true) returns an alias), so a garbage collection freed memory still in use and the loss
     * turned NaN. With a GC after every step the losses must equal those of an undisturbed run.
     */
    @Test
    void methodStateSurvivesGarbageCollection() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(16, 8);
        List<Double> quiet = trainSb(data, false);
        List<Double> collected = trainSb(data, true);
        assertEquals(quiet.size(), collected.size());
        for (int i = 0; i < quiet.size(); i++) {
            assertTrue(Double.isFinite(collected.get(i)));
            assertEquals(quiet.get(i), collected.get(i), 1e-6, "step " + (i + 1));
        }
    }

    private static List<Double> trainSb(List<TokenizedExample> data, boolean gc) {
        try (LlamaModel model = TinyFixtures.model();
             dev.adapterhub.engine.method.lorasb.LoraSbMethod method =
                     new dev.adapterhub.engine.method.lorasb.LoraSbMethod(SETTINGS)) {
            return TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(TinyFixtures.config(5, 3e-2).build()).optListener(new TrainingListener() {
                        @Override
                        public void onStep(Step step) {
                            if (gc) {
                                System.gc();
                            }
                        }
                    }).build().run().losses();
        }
    }

    /**
     * LoRA-GA (its weight offset included) trained with the compiled forward follows the eager run: same losses and
     * factors within float rounding, and every micro-batch ran compiled. SHiRA's adapters fall back to eager.
     */
    @Test
    void theCompiledForwardTrainsLikeTheEagerOne() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(24, 8);
        TrainingConfig eagerConfig = TinyFixtures.config(4, 5e-3).optGradientAccumulation(2).build();
        TrainingConfig compiledConfig = eagerConfig.toBuilder().optCompiledForward(true).build();
        Map<String, float[]> eager;
        TrainingResult eagerResult;
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(SETTINGS)) {
            eagerResult = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(eagerConfig).build().run();
            eager = snapshot(method);
        }
        assertEquals(0, eagerResult.compiledForwards());
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(SETTINGS)) {
            TrainingResult r = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(compiledConfig).build().run();
            assertEquals(8, r.compiledForwards());
            for (int i = 0; i < 4; i++) {
                assertEquals(eagerResult.losses().get(i), r.losses().get(i), 1e-4, "loss of step " + (i + 1));
            }
            Map<String, float[]> compiled = snapshot(method);
            for (String k : eager.keySet()) {
                assertTrue(TinyFixtures.maxAbsDiff(eager.get(k), compiled.get(k)) < 1e-4, k);
            }
        }
        try (LlamaModel model = TinyFixtures.model(); ShiraMethod method = new ShiraMethod(2, ShiraMaskType.RANDOM)) {
            TrainingResult r = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(compiledConfig).build().run();
            assertEquals(0, r.compiledForwards());
            assertTrue(r.losses().stream().allMatch(Double::isFinite));
        }
    }

    @Test
    void gradientAccumulationEqualsOneLargeBatch() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(16, 5);
        Map<String, float[]> large = trainLora(data, TinyFixtures.config(2, 1e-2).optBatchSize(8).build());
        Map<String, float[]> accumulated = trainLora(data, TinyFixtures.config(2, 1e-2).optBatchSize(4)
                .optGradientAccumulation(2).build());
        for (String k : large.keySet()) {
            assertTrue(TinyFixtures.maxAbsDiff(large.get(k), accumulated.get(k)) < 1e-5, k);
        }
    }

    private static Map<String, float[]> trainLora(List<TokenizedExample> data, TrainingConfig config) {
        try (LlamaModel model = TinyFixtures.model(); LoraMethod method = new LoraMethod(SETTINGS)) {
            TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data).setConfig(config).build().run();
            return snapshot(method);
        }
    }

    @Test
    void shiraTrainingChangesOnlyMaskedEntries() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(16, 6);
        try (LlamaModel model = TinyFixtures.model(); ShiraMethod method = new ShiraMethod(2, ShiraMaskType.RANDOM);
             NDManager work = model.manager().newSubManager()) {
            Map<String, float[]> baseBefore = new LinkedHashMap<>();
            model.parameters().forEach((k, v) -> baseBefore.put(k, v.toFloatArray()));
            TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(TinyFixtures.config(3, 1e-2).build()).build().run();
            model.parameters().forEach((k, v) -> assertTrue(Arrays.equals(baseBefore.get(k), v.toFloatArray()),
                    "base weight " + k + " must stay bit-exact"));
            for (AdaptableLinear l : SETTINGS.select(model)) {
                ShiraTrainingAdapter adapter = method.adapter(l.name());
                long[] idx = adapter.flatIndices().toLongArray();
                assertEquals(2 * (l.inFeatures() + l.outFeatures()), idx.length);
                assertEquals(idx.length, new HashSet<>(Arrays.stream(idx).boxed().toList()).size(), "distinct");
                Set<Long> mask = new HashSet<>(Arrays.stream(idx).boxed().toList());
                float[] delta = adapter.deltaWeight(work).toFloatArray();
                int changed = 0;
                for (int i = 0; i < delta.length; i++) {
                    if (delta[i] != 0f) {
                        assertTrue(mask.contains((long) i), l.name() + " changed unmasked entry " + i);
                        changed++;
                    }
                }
                assertTrue(changed > idx.length / 2, l.name() + " trained only " + changed + " entries");
            }
        }
    }

    @Test
    void listenersSeeStepsEvaluationAndCheckpoints() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(24, 7);
        List<TrainingListener.Step> steps = new ArrayList<>();
        List<TrainingListener.Eval> evals = new ArrayList<>();
        List<TrainingListener.Checkpoint> checkpoints = new ArrayList<>();
        List<TrainingListener.Start> starts = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStart(Start start) {
                starts.add(start);
            }

            @Override
            public void onStep(Step step) {
                steps.add(step);
            }

            @Override
            public void onEval(Eval eval) {
                evals.add(eval);
            }

            @Override
            public void onCheckpoint(Checkpoint checkpoint) {
                checkpoints.add(checkpoint);
            }
        };
        try (LlamaModel model = TinyFixtures.model(); LoraMethod method = new LoraMethod(SETTINGS)) {
            TrainingResult result = TrainingJob.builder().setModel(model).setMethod(method)
                    .setTrainData(data.subList(0, 16)).optEvalData(data.subList(16, 24))
                    .setConfig(TinyFixtures.config(4, 1e-2).optEvalEvery(2).optCheckpointEvery(2).build())
                    .optCheckpointDirectory(dir).optListener(listener).build().run();
            assertEquals(1, starts.size());
            // r·(in + out) summed over the 7 projections of 2 layers of width 64 (kv 32, MLP 128): 2 × 4 × 1024.
            assertEquals(8192, starts.get(0).trainable());
            assertEquals(8192, result.trainableParameters());
            assertEquals(4, steps.size());
            for (int i = 0; i < 4; i++) {
                TrainingListener.Step s = steps.get(i);
                assertEquals(i + 1, s.step());
                assertEquals((i + 1) / 4.0, s.progress(), 1e-12);
                assertTrue(s.tokensPerSecond() > 0 && Double.isFinite(s.loss()) && s.learningRate() == 1e-2);
            }
            assertEquals(0.0, steps.get(3).etaSeconds(), 1e-9);
            assertEquals(List.of(2, 4), evals.stream().map(TrainingListener.Eval::step).toList());
            for (TrainingListener.Eval e : evals) {
                assertEquals(8, e.examples());
                assertTrue(e.exactMatch() >= 0 && e.exactMatch() <= 1 && e.loss() > 0);
            }
            assertEquals(List.of(2, 4), checkpoints.stream().map(TrainingListener.Checkpoint::step).toList());
            checkpoints.forEach(c -> assertTrue(Files.isRegularFile(c.directory().resolve("trainer_state.json"))));
        }
    }

    @Test
    void evaluationCountsExactMatchesOfGreedyCompletions() {
        // A model fully fit to one example must reproduce it; an unrelated reference must not match.
        List<TokenizedExample> one = List.of(new TokenizedExample(new int[] {1, 5, 6, 7, 250}, new int[] {7, 6, 5, 2}));
        try (LlamaModel model = TinyFixtures.model(); LoraMethod method = new LoraMethod(SETTINGS)) {
            TrainingResult result = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(one)
                    .optEvalData(List.of(one.get(0), new TokenizedExample(new int[] {1, 5, 6, 7, 250},
                            new int[] {9, 9, 9, 2})))
                    .setConfig(TinyFixtures.config(40, 3e-2).optBatchSize(1).build()).build().run();
            TrainingListener.Eval e = result.finalEval();
            assertEquals(0.5, e.exactMatch(), 1e-12, "loss " + result.losses().get(result.losses().size() - 1));
            assertFalse(method.trainableParameters().isEmpty());
        }
    }
}
