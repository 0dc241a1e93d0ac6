package dev.adapterhub.engine.tools.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.BaseModelRecipe;
import dev.adapterhub.engine.testkit.PretrainingCorpus;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.transfer.TransferPrompts;
import dev.adapterhub.formats.digest.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The base models in {@code models/} are the files their cards describe, have the recipes' shapes, and still know
 * what they were pretrained on: they count on in digits and in words, and continue a list of task inputs.
 */
class ShippedBaseModelsTest {

    static final Path MODELS = Path.of("..", "models");

    static List<BaseModelRecipe> recipes() {
        return BaseModelRecipe.all();
    }

    static Path dir(BaseModelRecipe recipe) {
        return MODELS.resolve(recipe.name()).resolve(recipe.revision());
    }

    @Test
    void theCorpusListsUseTheHeaderOfTransLorasPrompt() {
        // The test kit cannot see the engine, so the header is written twice; this keeps the two the same.
        assertEquals(TransferPrompts.GENERATION_HEADER, PretrainingCorpus.LIST_HEADER);
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void filesMatchTheirCardAndTheRecipe(BaseModelRecipe recipe) throws Exception {
        Path dir = dir(recipe);
        JsonNode record = new ObjectMapper().readTree(dir.resolve("pretraining.json").toFile());
        String card = Files.readString(dir.resolve("README.md"));
        for (String file : ModelCard.FILES) {
            String digest = Sha256.hex(dir.resolve(file));
            assertEquals(record.path("sha256").path(file).asText(), digest, file);
            assertTrue(card.contains(digest), file + "'s digest is on the card");
        }
        assertEquals(recipe.steps(), record.path("outcome").path("steps").asInt());
        try (LlamaModel model = CheckpointIO.load(dir)) {
            LlamaDims dims = model.dims();
            assertEquals(recipe.spec().layers(), dims.numLayers());
            assertEquals(recipe.spec().hidden(), dims.hiddenSize());
            assertEquals(recipe.spec().vocab(), dims.vocabSize());
        }
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void itCountsOnInDigitsAndWordsAndContinuesAListOfInputs(BaseModelRecipe recipe) throws Exception {
        Path dir = dir(recipe);
        try (LlamaModel model = CheckpointIO.load(dir); TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            Generator generator = new Generator(model, tokenizer);
            String digits = greedy(generator, tokenizer, "41 42 43 44", List.of());
            assertTrue(digits.startsWith(" 45 46"), digits);
            String words = greedy(generator, tokenizer, "forty-one, forty-two, forty-three,", List.of());
            assertTrue(words.startsWith(" forty-four"), words);
            String sixth = greedy(generator, tokenizer,
                    TransferPrompts.generation(List.of("12=", "7=", "345=", "88=", "901=")), List.of("\n")).trim();
            assertTrue(SyntheticTasks.isInput(SyntheticTasks.Task.NUM2WORDS, sixth), "sixth item: " + sixth);
        }
    }

    private static String greedy(Generator generator, TextTokenizer tokenizer, String prompt, List<String> stops) {
        GenerationRequest request = GenerationRequest.greedy(tokenizer.encode(prompt, true), 16)
                .withStops(new int[] {tokenizer.eosId()}, stops);
        String text = generator.generate(request).text();
        return text == null ? "" : text;
    }
}
