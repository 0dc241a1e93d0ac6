package dev.adapterhub.engine.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteLevelBpeTrainerTest {

    @Test
    void mergesFollowPairFrequencyAndAreAFunctionOfTheCorpus() {
        List<String> corpus = List.of("hundred hundred hundred", "one hundred two", "hundred");
        List<String> merges = ByteLevelBpeTrainer.train(corpus, 12);
        assertEquals(merges, ByteLevelBpeTrainer.train(corpus, 12));
        // "Ġ" stands for a space in the byte alphabet; " hundred" is the most frequent word, so it becomes a token.
        assertTrue(merges.stream().anyMatch(m -> m.replace(" ", "").equals("Ġhundred")), merges.toString());
        assertTrue(merges.stream().noneMatch(m -> m.contains("w o")), "pairs seen once are never merged: " + merges);
    }

    @Test
    void theTokenizerHasOneTokenPerMergeAfterTheBytes() {
        List<String> merges = ByteLevelBpeTrainer.train(PretrainingCorpus.documents(2_000, 3), 100);
        ObjectNode json = ByteLevelTokenizerJson.build(merges);
        JsonNode vocab = json.path("model").path("vocab");
        assertEquals(ByteLevelTokenizerJson.VOCAB_SIZE + 100, vocab.size());
        assertEquals(100, json.path("model").path("merges").size());
        String first = merges.get(0).replace(" ", "");
        assertEquals(ByteLevelTokenizerJson.VOCAB_SIZE, vocab.path(first).asInt());
        assertThrows(IllegalArgumentException.class, () -> ByteLevelTokenizerJson.build(List.of("zz q")));
    }

    @Test
    void recipesAreDistinctAndTheUpgradeIsBiggerAndTrainedLonger() {
        assertEquals(3, BaseModelRecipe.all().stream().map(BaseModelRecipe::id).distinct().count());
        BaseModelRecipe v1 = BaseModelRecipe.byId("tiny-llama-v1");
        BaseModelRecipe v2 = BaseModelRecipe.byId("TINY-LLAMA-V2");
        assertTrue(v2.spec().layers() > v1.spec().layers() && v2.spec().hidden() > v1.spec().hidden());
        assertTrue(v2.steps() > v1.steps());
        assertTrue(v2.spec().seed() != v1.spec().seed() && v2.corpusSeed() != v1.corpusSeed());
        BaseModelRecipe other = BaseModelRecipe.TINY_BPE_V1;
        assertEquals(ByteLevelTokenizerJson.VOCAB_SIZE + other.merges(), other.spec().vocab());
        assertThrows(IllegalArgumentException.class, () -> BaseModelRecipe.byId("gpt-5"));
    }
}
