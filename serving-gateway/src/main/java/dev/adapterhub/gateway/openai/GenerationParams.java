package dev.adapterhub.gateway.openai;

import java.util.List;

/**
 * Validated sampling parameters of one request.
 *
 * @param maxTokens   new tokens at most (>= 1)
 * @param temperature 0 = greedy; (0, 2]
 * @param topP        nucleus mass (0, 1]
 * @param seed        sampling seed, null = derived from the request id
 * @param stops       stop strings (at most 4); the text is cut before the first one
 */
public record GenerationParams(int maxTokens, float temperature, float topP, Long seed, List<String> stops) {
}
