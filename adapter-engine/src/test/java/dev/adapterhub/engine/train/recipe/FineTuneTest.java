package dev.adapterhub.engine.train.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingCheckpoint;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.recipe.MethodSpec.Method;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tune recipe end to end at toy size: split, train, checkpoint, resume, export, seed examples. */
class FineTuneTest {

    @TempDir
    static Path tmp;
    static Path base;
    static Path data;

    @BeforeAll
    static void inputs() throws Exception {
        Devices.configureOffline();
        base = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(11), tmp.resolve("base"));
        List<PromptCompletion> examples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            examples.add(new PromptCompletion(i + "+1=", Integer.toString(i + 1)));
        }
        data = tmp.resolve("data.jsonl");
        new PromptCompletionDataset(examples).write(data);
    }

    private static TrainingConfig config() {
        return TrainingConfig.builder().setSteps(4).setLearningRate(1e-2).optBatchSize(4).optMaxLength(32)
                .optCheckpointEvery(2).optSeed(3).build();
    }

    private static FineTune.Builder recipe(Path out) {
        return FineTune.builder()
                .setBaseModel(base)
                .optDevice(Device.cpu())
                .setDatasetFile(data)
                .optEvalFraction(0.25)
                .setConfig(config())
                .setMethod(MethodSpec.defaults(Method.LORA, 2, 4f))
                .optCheckpointDirectory(out.resolve("checkpoints"))
                .optExport(out.resolve("adapter"), "tiny")
                .optSeedExamples(3);
    }

    @Test
    void splitsTrainsCheckpointsAndExports() throws Exception {
        Path out = tmp.resolve("run");
        List<TrainingListener.Start> starts = new ArrayList<>();
        FineTuneResult result = recipe(out).optListener(new TrainingListener() {
            @Override
            public void onStart(Start start) {
                starts.add(start);
            }
        }).build().run();

        assertEquals(4, result.training().steps());
        assertEquals(1, starts.size());
        assertEquals(30, starts.get(0).trainExamples());
        assertEquals(10, starts.get(0).evalExamples());
        assertNotNull(result.finalEval());
        assertEquals(10, result.finalEval().examples());

        PromptCompletionDataset.Split split = PromptCompletionDataset.read(data).split(0.25, 3);
        assertEquals(split.train().examples().subList(0, 3), result.seedExamples());

        assertEquals(out.resolve("adapter"), result.exportDirectory());
        PeftConfig config = PeftConfig.read(result.exportDirectory());
        assertEquals(PeftType.LORA, config.peftType());
        assertEquals(2, config.r());
        assertEquals("tiny", config.baseModelNameOrPath());
        assertTrue(PeftAdapterFiles.validateDirectory(result.exportDirectory(), LinearModules.fromCheckpoint(base))
                .isEmpty());
        assertTrue(TrainingCheckpoint.isComplete(TrainingJob.checkpointPath(out.resolve("checkpoints"), 2)));
        assertTrue(TrainingCheckpoint.isComplete(TrainingJob.checkpointPath(out.resolve("checkpoints"), 4)));

        // The same recipe resumed from the step-2 checkpoint runs only the remaining steps, and matches.
        Path resumed = tmp.resolve("resumed");
        FineTuneResult second = recipe(resumed)
                .optResumeFrom(TrainingJob.checkpointPath(out.resolve("checkpoints"), 2)).build().run();
        assertEquals(4, second.training().steps());
        assertEquals(2, second.training().losses().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(result.training().losses().get(2 + i), second.training().losses().get(i), 1e-6);
        }
    }

    @Test
    void aListenerThatThrowsStopsTheRunBeforeTheExport() {
        Path out = tmp.resolve("stopped");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> recipe(out)
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(Step step) {
                        throw new IllegalStateException("cancelled at " + step.step());
                    }
                }).build().run());
        assertEquals("cancelled at 1", e.getMessage());
        assertTrue(!out.resolve("adapter").toFile().exists(), "nothing exported");
    }

    @Test
    void incompleteRecipesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FineTune.builder().setDatasetFile(data).setConfig(config())
                .setMethod(MethodSpec.defaults(Method.LORA, 2, 4f)).build());
        assertThrows(IllegalArgumentException.class, () -> FineTune.builder().setBaseModel(base).setConfig(config())
                .setMethod(MethodSpec.defaults(Method.LORA, 2, 4f)).build());
        assertThrows(IllegalArgumentException.class, () -> FineTune.builder().setBaseModel(base).setDatasetFile(data)
                .setConfig(config()).build());
    }
}
