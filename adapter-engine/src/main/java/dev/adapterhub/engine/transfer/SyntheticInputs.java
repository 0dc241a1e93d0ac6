package dev.adapterhub.engine.transfer;

import dev.adapterhub.engine.generate.FinishReason;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.GenerationResult;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Step 1 of a transfer: candidate task inputs written by a base model (the target, with no adapter) prompted
 * with the numbered seed inputs, one input per generation: the text up to the first line break. Each
 * generation sees the seeds in its own order, so the prompt does not fix the sample.
 */
public final class SyntheticInputs {

    /**
     * @param temperature  sampling temperature (> 0; the paper leaves it open, ADR 10 says why 1.0)
     * @param topP         nucleus mass
     * @param maxNewTokens tokens per input at most; longer generations are dropped, not cut
     * @param batchSize    generations decoded together
     */
    public record Settings(float temperature, float topP, int maxNewTokens, int batchSize) {

        public Settings {
            if (!(temperature > 0) || !(topP > 0 && topP <= 1) || maxNewTokens < 1 || batchSize < 1) {
                throw new IllegalArgumentException("temperature > 0, topP in (0, 1], maxNewTokens and batchSize >= 1");
            }
        }

        /**
         * 64 rows per batch: most inputs end within a few tokens while a batch runs for its longest row, and
         * finished rows leave the batch; on 2 CPU cores 640 generations took 4.3-4.5 s at 64 rows against 6.0-6.5 s
         * at 16, the same outputs (each row samples from its own seed).
         */
        public static Settings defaults() {
            return new Settings(1.0f, 1.0f, 64, 64);
        }
    }

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final Settings settings;

    public SyntheticInputs(LlamaModel model, TextTokenizer tokenizer, Settings settings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    /**
     * {@code count} generations, in order; generation {@code i} is a function of {@code seed + i}, so a resumed
     * run continues the same sequence. Empty lines, and generations that end (EOS) or run out of tokens before a line break, come back as null.
     */
    public List<String> generate(List<String> seeds, long seed, int count) {
        Generator generator = new Generator(model, tokenizer);
        List<String> out = new ArrayList<>(count);
        for (int from = 0; from < count; from += settings.batchSize()) {
            List<GenerationRequest> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + settings.batchSize()); i++) {
                List<String> order = new ArrayList<>(seeds);
                Collections.shuffle(order, new Random(seed + i));
                batch.add(GenerationRequest.greedy(tokenizer.encode(TransferPrompts.generation(order), true),
                                settings.maxNewTokens())
                        .withSampling(settings.temperature(), settings.topP(), seed + i)
                        .withStops(new int[] {tokenizer.eosId()}, List.of("\n")));
            }
            for (GenerationResult r : generator.generateBatch(batch)) {
                out.add(r.finishReason() == FinishReason.STOP_STRING ? line(r.text()) : null);
            }
        }
        return out;
    }

    /** The generated input (the text before the line break), trimmed; null when empty. */
    static String line(String text) {
        String item = text == null ? "" : text.trim();
        return item.isEmpty() ? null : item;
    }
}
