package dev.adapterhub.engine.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Trans-LoRA building blocks on a random tiny model: prompts, scoring, generation, training data. */
class TransferBlocksTest {

    @TempDir
    Path tmp;

    @Test
    void promptsAreThePapersPrompts() {
        assertEquals("Here are 10 examples:\n\n1. 7=\n2. 42=\n3.", TransferPrompts.generation(List.of("7=", "42=")));
        assertEquals("42=\nIs the above question from numbers-to-words dataset?",
                TransferPrompts.discriminator("42=", "numbers-to-words"));
        assertThrows(IllegalArgumentException.class, () -> TransferPrompts.generation(List.of()));
    }

    @Test
    void completionLogProbsDoNotDependOnBatchingOrPaddingAndRankAnswers() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(3), tmp.resolve("m"));
        try (LlamaModel model = CheckpointIO.load(dir); TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            List<String> prompts = List.of("a", "a much longer prompt than the first one", "12=");
            double[] batched = new CompletionLogProbs(model, tokenizer, 8).of(prompts, "yes");
            for (int i = 0; i < prompts.size(); i++) {
                double alone = new CompletionLogProbs(model, tokenizer, 1).of(List.of(prompts.get(i)), "yes")[0];
                assertEquals(alone, batched[i], 1e-4, "prompt " + i);
                assertTrue(batched[i] < 0 && batched[i] > -3 * Math.log(260) - 5, "a log-probability: " + batched[i]);
            }
            // Three tokens are less likely than their first one alone.
            double one = new CompletionLogProbs(model, tokenizer, 1).of(List.of("a"), "y")[0];
            assertTrue(batched[0] < one);
        }
    }

    @Test
    void syntheticInputsAreAFunctionOfTheSeedAndCountEveryGeneration() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(4), tmp.resolve("m"));
        try (LlamaModel model = CheckpointIO.load(dir); TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            SyntheticInputs inputs = new SyntheticInputs(model, tokenizer,
                    new SyntheticInputs.Settings(1.0f, 1.0f, 6, 4));
            List<String> seeds = List.of("1=", "2=", "3=", "4=", "5=");
            List<String> a = inputs.generate(seeds, 11, 6);
            assertEquals(6, a.size());
            assertEquals(a, inputs.generate(seeds, 11, 6));
            // A resumed run continues the same sequence: generation i depends on seed + i only.
            assertEquals(a.subList(4, 6), inputs.generate(seeds, 15, 2));
        }
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInputs.Settings(0f, 1f, 8, 1));
    }

    @Test
    void discriminatorExamplesAreBalancedAndNeverCallARealInputFake() {
        List<PromptCompletion> examples = Discriminator.trainingExamples(List.of("1=", "2=", "3="),
                java.util.Arrays.asList("2=", "x", null, "y", "z", "w"), "numbers", 0);
        assertEquals(6, examples.size());
        long yes = examples.stream().filter(e -> e.completion().equals("yes")).count();
        assertEquals(3, yes);
        assertTrue(examples.stream().noneMatch(e -> e.prompt().startsWith("2=") && e.completion().equals("no")));
        assertThrows(IllegalArgumentException.class,
                () -> Discriminator.trainingExamples(List.of("1="), List.of("1="), "numbers", 0));
    }
}
