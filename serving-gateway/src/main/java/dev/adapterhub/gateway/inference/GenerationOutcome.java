package dev.adapterhub.gateway.inference;

import java.time.Duration;

/**
 * A finished generation.
 *
 * @param text             the generated text, cut before a stop string
 * @param finish           why it ended
 * @param promptTokens     tokens of the prompt
 * @param completionTokens tokens generated
 * @param timeToFirstToken from submission to the first token; null when none was generated
 */
public record GenerationOutcome(String text, Finish finish, int promptTokens, int completionTokens,
                                Duration timeToFirstToken) {

    public enum Finish {
        /** Stop token or stop string: OpenAI's {@code stop}. */
        STOP,
        /** max_tokens reached: OpenAI's {@code length}. */
        LENGTH,
        /** Cancelled (client gone). */
        CANCELLED,
        /** The per-request timeout ended it. */
        TIMEOUT;

        /** OpenAI's {@code finish_reason}. */
        public String openAi() {
            return this == STOP ? "stop" : "length";
        }
    }
}
