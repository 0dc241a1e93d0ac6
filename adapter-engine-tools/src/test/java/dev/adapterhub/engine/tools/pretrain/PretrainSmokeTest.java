package dev.adapterhub.engine.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.testkit.BaseModelRecipe;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.formats.digest.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pretraining command's whole path at a toy budget: BPE tokenizer, full training, scores, model card. */
class PretrainSmokeTest {

    @TempDir
    Path dir;

    @Test
    void theOtherFamilyPretrainsScoresAndGetsACardWithItsDigests() throws Exception {
        BaseModelRecipe recipe = BaseModelRecipe.TINY_BPE_V1;
        Pretrainer.Outcome outcome = Pretrainer.run(recipe, 3, dir);
        assertEquals(3, outcome.steps());
        assertTrue(outcome.finalLoss() < outcome.firstLoss() || outcome.steps() < 2, outcome.toString());

        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            String text = "three hundred forty-seven=";
            int[] ids = tokenizer.encode(text, false);
            assertEquals(text, tokenizer.decode(ids));
            assertTrue(ids.length < text.length() / 2, "learned merges shorten the text: " + ids.length + " tokens");
            assertEquals(recipe.spec().vocab(), tokenizer.vocabSize());
        }

        BaseModelScorer.Scores scores = BaseModelScorer.score(dir, recipe.corpusSeed(), 1, 8);
        assertEquals(3, scores.tasks().size());
        assertTrue(Double.isFinite(scores.heldOutCorpusLoss()));
        ModelCard.write(dir, recipe, outcome, scores, "pretrain --recipe " + recipe.id());

        JsonNode record = new ObjectMapper().readTree(dir.resolve("pretraining.json").toFile());
        String card = Files.readString(dir.resolve("README.md"));
        for (String file : ModelCard.FILES) {
            String digest = Sha256.hex(dir.resolve(file));
            assertEquals(digest, record.path("sha256").path(file).asText());
            assertTrue(card.contains("| `" + file + "` | `" + digest + "` |"), card);
        }
        assertTrue(card.startsWith("# tiny-bpe@v1"));
        assertTrue(card.contains("| sentence-topics |") && card.contains("LoRA lr 0.003"), card);
        // Rescoring (--score-only) reads the pretraining run back from the record.
        assertEquals(outcome, ModelCard.recordedOutcome(dir));
        assertEquals(2, scores.tasks().get(0).lora().size());
        assertEquals(3, record.path("scores").path("tasks").size());

        // Same recipe, same steps: the same bytes.
        Path again = dir.resolve("again");
        Pretrainer.run(recipe, 3, again);
        assertArrayEquals(Files.readAllBytes(dir.resolve("model.safetensors")),
                Files.readAllBytes(again.resolve("model.safetensors")));
    }
}
