package dev.adapterhub.gateway.inference;

import java.time.Duration;
import java.util.List;

/**
 * One generation request as the engine sees it.
 *
 * @param adapterKey  cache key of an attached adapter, or null for the base model alone
 * @param temperature 0 = greedy
 * @param seed        sampling seed (used when temperature > 0)
 * @param stops       stop strings; the returned text is cut before the first one
 * @param timeout     bound from submission to the last token
 */
public record GenerationSpec(String prompt, String adapterKey, int maxTokens, float temperature, float topP,
                             long seed, List<String> stops, Duration timeout) {
}
