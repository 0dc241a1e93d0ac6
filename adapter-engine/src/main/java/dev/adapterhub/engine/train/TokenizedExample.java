package dev.adapterhub.engine.train;

/**
 * A tokenized example: {@code prompt} (with BOS when the tokenizer uses one) followed by {@code completion}
 * (ending with EOS), the only tokens the loss is computed on.
 */
public record TokenizedExample(int[] prompt, int[] completion) {

    public TokenizedExample {
        if (completion.length == 0) {
            throw new IllegalArgumentException("completion has no tokens");
        }
        prompt = prompt.clone();
        completion = completion.clone();
    }

    public int length() {
        return prompt.length + completion.length;
    }

    /** Prompt then completion. */
    public int[] tokens() {
        int[] all = new int[length()];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(completion, 0, all, prompt.length, completion.length);
        return all;
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public int[] completion() {
        return completion.clone();
    }
}
