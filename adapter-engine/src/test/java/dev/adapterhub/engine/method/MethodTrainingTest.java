package dev.adapterhub.engine.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.lorasb.LoraSbMethod;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.method.shira.ShiraPeft;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method trains for real (loss goes down) and its exported artifact, applied to a freshly loaded
 * original base, reproduces the trained model's logits.
 */
class MethodTrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LoraSettings SETTINGS = new LoraSettings(4, 8f, false, LoraSettings.ALL_PROJECTIONS);
    private static final int STEPS = 12;

    @TempDir
    Path dir;

    @Test
    void lora() throws IOException {
        Path out = trainAndExport(new LoraMethod(SETTINGS), 1e-2);
        JsonNode config = JSON.readTree(out.resolve("adapter_config.json").toFile());
        assertEquals("LORA", config.get("peft_type").asText());
        assertEquals(4, config.get("r").asInt());
    }

    @Test
    void loraGaExportsAStandardRank2rLora() throws IOException {
        LoraSettings rs = new LoraSettings(4, 8f, true, LoraSettings.ALL_PROJECTIONS);
        Path out = trainAndExport(new LoraGaMethod(rs), 3e-3);
        JsonNode config = JSON.readTree(out.resolve("adapter_config.json").toFile());
        assertEquals("LORA", config.get("peft_type").asText());
        assertEquals(8, config.get("r").asInt());
        assertEquals(8 * Math.sqrt(2), config.get("lora_alpha").asDouble(), 1e-4);
        assertTrue(config.get("use_rslora").asBoolean());
    }

    /** LoRA-SB trains only r×r = 16 values per layer (224 in all here), so it moves the loss less in 12 steps. */
    @Test
    void loraSbExportsPlainLora() throws IOException {
        Path out = trainAndExport(new LoraSbMethod(SETTINGS), 1e-1, 0.93);
        JsonNode config = JSON.readTree(out.resolve("adapter_config.json").toFile());
        assertEquals(4, config.get("r").asInt());
    }

    @Test
    void shiraSnip() throws IOException {
        Path out = trainAndExport(new ShiraMethod(4, ShiraMaskType.SNIP), 1e-2);
        JsonNode config = JSON.readTree(out.resolve("adapter_config.json").toFile());
        assertEquals("SHIRA", config.get("peft_type").asText());
        assertEquals("snip", config.get("mask_type").asText());
    }

    @Test
    void fullFineTuning() throws IOException {
        trainAndExport(new FullFineTuning(), 3e-3);
    }

    private Path trainAndExport(TrainingMethod method, double lr) throws IOException {
        return trainAndExport(method, lr, 0.85);
    }

    /** @param ratio the mean loss of the last three steps must fall below ratio × the first step's loss */
    private Path trainAndExport(TrainingMethod method, double lr, double ratio) throws IOException {
        List<TokenizedExample> data = TinyFixtures.reverseTask(32, 3);
        long[] probe = TinyFixtures.probeIds();
        Path out = dir.resolve(method.name());
        float[] trained;
        float[] base;
        try (LlamaModel model = TinyFixtures.model()) {
            base = TinyFixtures.logits(model, probe, 2);
            TrainingResult result = TrainingJob.builder().setModel(model).setMethod(method).setTrainData(data)
                    .setConfig(TinyFixtures.config(STEPS, lr).build()).build().run();
            List<Double> losses = result.losses();
            assertEquals(STEPS, losses.size());
            double first = losses.get(0);
            double last = (losses.get(STEPS - 1) + losses.get(STEPS - 2) + losses.get(STEPS - 3)) / 3;
            assertTrue(last < ratio * first, method.name() + " loss " + first + " -> " + last);
            trained = TinyFixtures.logits(model, probe, 2);
            method.export(out, "tiny-llama");
            method.close();
        }
        assertTrue(TinyFixtures.maxAbsDiff(base, trained) > 1e-2, "training changed the model");
        float[] reloaded;
        if (method instanceof FullFineTuning) {
            try (LlamaModel model = CheckpointIO.load(out)) {
                reloaded = TinyFixtures.logits(model, probe, 2);
            }
        } else {
            try (LlamaModel model = TinyFixtures.model()) {
                if (method instanceof ShiraMethod) {
                    ShiraPeft.fuse(model, out, "exported");
                } else {
                    LoraPeft.apply(model, out, "exported");
                }
                reloaded = TinyFixtures.logits(model, probe, 2);
            }
        }
        double diff = TinyFixtures.maxAbsDiff(trained, reloaded);
        double scale = Math.max(1, TinyFixtures.maxAbs(trained));
        assertTrue(diff < 1e-5 * scale * 10, method.name() + ": exported adapter differs by " + diff);
        return out;
    }
}
