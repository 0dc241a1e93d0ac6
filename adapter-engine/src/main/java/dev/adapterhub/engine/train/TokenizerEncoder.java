package dev.adapterhub.engine.train;

import dev.adapterhub.engine.tokenizer.TextTokenizer;

/**
 * Encodes with a model's tokenizer: prompt with BOS, completion without, followed by EOS so the model learns
 * to stop (and exact-match evaluation includes stopping).
 */
public final class TokenizerEncoder implements ExampleEncoder {

    private final TextTokenizer tokenizer;

    public TokenizerEncoder(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public TokenizedExample encode(PromptCompletion example) {
        int[] prompt = tokenizer.encode(example.prompt(), true);
        int[] body = tokenizer.encode(example.completion(), false);
        int eos = tokenizer.eosId();
        int[] completion = new int[body.length + (eos >= 0 ? 1 : 0)];
        System.arraycopy(body, 0, completion, 0, body.length);
        if (eos >= 0) {
            completion[body.length] = eos;
        }
        return new TokenizedExample(prompt, completion);
    }
}
