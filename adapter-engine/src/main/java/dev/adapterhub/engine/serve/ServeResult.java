package dev.adapterhub.engine.serve;

import java.time.Duration;

/**
 * The outcome of one request.
 *
 * @param text             generated text (cut before a stop string), or null when the engine has no tokenizer
 * @param tokenIds         generated token ids (an EOS that stopped generation is included)
 * @param promptTokens     prompt length in tokens
 * @param completionTokens {@code tokenIds.length}
 * @param finishReason     why it ended
 * @param timeToFirstToken from submit to the first generated token, null when none was generated
 * @param totalTime        from submit to completion
 * @param adapterKey       the adapter it ran with, null for the base model
 */
public record ServeResult(String text, int[] tokenIds, int promptTokens, int completionTokens,
                          ServeFinishReason finishReason, Duration timeToFirstToken, Duration totalTime,
                          String adapterKey) {
}
