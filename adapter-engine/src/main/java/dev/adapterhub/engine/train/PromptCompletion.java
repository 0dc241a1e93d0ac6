package dev.adapterhub.engine.train;

import java.util.Objects;

/** One supervised example: the model is trained to produce {@code completion} after {@code prompt}. */
public record PromptCompletion(String prompt, String completion) {

    public PromptCompletion {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("completion must not be empty");
        }
    }
}
