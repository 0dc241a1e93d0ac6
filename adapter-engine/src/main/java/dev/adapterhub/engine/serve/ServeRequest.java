package dev.adapterhub.engine.serve;

import java.time.Duration;
import java.util.List;

/**
 * One completion request. Build with {@link #text(String)} or {@link #tokens(int[])} and the {@code withX}
 * copies.
 *
 * @param prompt      prompt text (encoded with BOS by the engine's tokenizer), or null when {@code promptIds} is set
 * @param promptIds   prompt token ids, or null when {@code prompt} is set
 * @param adapterKey  a loaded adapter's key, or null for the base model
 * @param maxTokens   tokens to generate at most (>= 1)
 * @param temperature 0 = greedy
 * @param topP        nucleus mass in (0, 1]
 * @param seed        sampling seed
 * @param stop        stop strings (need a tokenizer); EOS always stops
 * @param timeout     deadline from submission (queue wait included); null = the engine's default
 */
public record ServeRequest(String prompt, int[] promptIds, String adapterKey, int maxTokens, float temperature,
                           float topP, long seed, List<String> stop, Duration timeout) {

    public ServeRequest {
        if ((prompt == null) == (promptIds == null)) {
            throw new InvalidRequestException("give either a prompt text or prompt token ids");
        }
        if (maxTokens < 1) {
            throw new InvalidRequestException("maxTokens must be >= 1");
        }
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new InvalidRequestException("temperature must be a finite number >= 0");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidRequestException("topP must be in (0, 1]");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidRequestException("timeout must be positive");
        }
        promptIds = promptIds == null ? null : promptIds.clone();
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** Greedy, 16 tokens, base model, default timeout. */
    public static ServeRequest text(String prompt) {
        return new ServeRequest(prompt, null, null, 16, 0f, 1f, 0L, List.of(), null);
    }

    /** Greedy, 16 tokens, base model, default timeout. */
    public static ServeRequest tokens(int[] promptIds) {
        return new ServeRequest(null, promptIds, null, 16, 0f, 1f, 0L, List.of(), null);
    }

    public ServeRequest withAdapter(String key) {
        return new ServeRequest(prompt, promptIds, key, maxTokens, temperature, topP, seed, stop, timeout);
    }

    public ServeRequest withMaxTokens(int n) {
        return new ServeRequest(prompt, promptIds, adapterKey, n, temperature, topP, seed, stop, timeout);
    }

    public ServeRequest withSampling(float temp, float nucleus, long samplingSeed) {
        return new ServeRequest(prompt, promptIds, adapterKey, maxTokens, temp, nucleus, samplingSeed, stop, timeout);
    }

    public ServeRequest withStop(List<String> stopStrings) {
        return new ServeRequest(prompt, promptIds, adapterKey, maxTokens, temperature, topP, seed, stopStrings,
                timeout);
    }

    public ServeRequest withTimeout(Duration d) {
        return new ServeRequest(prompt, promptIds, adapterKey, maxTokens, temperature, topP, seed, stop, d);
    }
}
