package dev.adapterhub.engine.transfer;

import dev.adapterhub.engine.generate.FinishReason;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.GenerationResult;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 3 of a transfer: the source base with the source adapter labels each kept input with its greedy
 * completion (hard targets, ADR 10), ending at EOS. Completions that never end or are empty are dropped: the
 * teacher does not know the answer, and training on a cut-off answer would teach the student not to stop.
 */
public final class Teacher {

    private final Generator generator;
    private final TextTokenizer tokenizer;
    private final int maxNewTokens;
    private final int batchSize;

    /** {@code model} as configured: the source base with the source adapter active. */
    public Teacher(LlamaModel model, TextTokenizer tokenizer, int maxNewTokens, int batchSize) {
        this.generator = new Generator(model, tokenizer);
        this.tokenizer = tokenizer;
        this.maxNewTokens = maxNewTokens;
        this.batchSize = Math.max(1, batchSize);
    }

    /** One labelled example per input the teacher answers, in input order. */
    public List<PromptCompletion> label(List<String> inputs) {
        List<PromptCompletion> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<String> chunk = inputs.subList(from, Math.min(inputs.size(), from + batchSize));
            List<GenerationRequest> requests = chunk.stream()
                    .map(x -> GenerationRequest.greedy(tokenizer.encode(x, true), maxNewTokens)
                            .withStops(new int[] {tokenizer.eosId()}, List.of()))
                    .toList();
            List<GenerationResult> results = generator.generateBatch(requests);
            for (int i = 0; i < chunk.size(); i++) {
                GenerationResult r = results.get(i);
                if (r.finishReason() != FinishReason.STOP_TOKEN) {
                    continue;
                }
                int[] ids = r.tokenIds();
                String answer = tokenizer.decode(Arrays.copyOf(ids, ids.length - 1));
                if (!answer.isEmpty()) {
                    out.add(new PromptCompletion(chunk.get(i), answer));
                }
            }
        }
        return out;
    }
}
