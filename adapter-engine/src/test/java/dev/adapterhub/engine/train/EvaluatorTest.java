package dev.adapterhub.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.GenerationResult;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    private static final int NEW_TOKENS = 5;

    @TempDir
    Path tmp;

    /**
     * References built from the model's own greedy continuations (the KV-cache {@link Generator}): whole (match), a prefix (match), the last or the
     * first token changed (no match). The teacher-forced exact match must find exactly the matching rows, in batches
     * that mix prompt lengths, and also where prompts are shortened and those rows are decoded greedily.
     */
    @Test
    void exactMatchAgreesWithGreedyDecoding() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(11), tmp.resolve("m"));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
             NDManager manager = Devices.newManager(Device.cpu())) {
            Random random = new Random(3);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int[] p = new int[2 + random.nextInt(6)];
                p[0] = 1;
                for (int t = 1; t < p.length; t++) {
                    p[t] = 3 + random.nextInt(250);
                }
                prompts.add(p);
            }
            List<GenerationRequest> requests = prompts.stream().map(p -> GenerationRequest.greedy(p, NEW_TOKENS))
                    .toList();
            int[][] greedy = new Generator(model).generateBatch(requests).stream()
                    .map(GenerationResult::tokenIds).toArray(int[][]::new);
            List<TokenizedExample> examples = new ArrayList<>();
            int expectedMatches = 0;
            for (int i = 0; i < prompts.size(); i++) {
                int[] completion = greedy[i].clone();
                switch (i % 6) {
                    case 0, 1, 2 -> expectedMatches++;
                    case 3 -> {
                        completion = Arrays.copyOf(completion, 2);
                        expectedMatches++;
                    }
                    case 4 -> completion[NEW_TOKENS - 1] = (completion[NEW_TOKENS - 1] + 1) % 259;
                    default -> completion[0] = (completion[0] + 1) % 259;
                }
                examples.add(new TokenizedExample(prompts.get(i), completion));
            }

            TrainingListener.Eval whole = new Evaluator(model, examples, 5, 0, 64).evaluate(7, manager);
            assertEquals(7, whole.step());
            assertEquals(12, whole.examples());
            assertEquals(expectedMatches / 12.0, whole.exactMatch(), 1e-12);

            // maxLength 6 shortens every example longer than 7 tokens: those rows take the greedy path
            TrainingListener.Eval shortened = new Evaluator(model, examples, 5, 0, 6).evaluate(7, manager);
            assertEquals(expectedMatches / 12.0, shortened.exactMatch(), 1e-12);
        }
    }
}
