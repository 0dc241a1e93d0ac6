package dev.adapterhub.engine.generate;

/**
 * @param tokenIds     generated tokens (prompt excluded; a stop token is included)
 * @param text         decoded generated text (cut before a stop string), or null without a tokenizer
 * @param finishReason why generation ended
 * @param promptTokens prompt length
 */
public record GenerationResult(int[] tokenIds, String text, FinishReason finishReason, int promptTokens) {
}
