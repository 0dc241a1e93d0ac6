package dev.adapterhub.engine.serve;

import java.time.Duration;

/**
 * Limits and policy of a {@link ServingEngine}; start from {@link #defaults()} and change with the {@code withX}
 * copies.
 *
 * @param maxQueuedRequests requests waiting for admission; one more gets {@link QueueFullException}
 * @param maxBatchRows      rows in the running decode batch
 * @param maxPrefillRows    requests admitted (and prefilled together) per step
 * @param maxNewTokens      largest allowed {@link ServeRequest#maxTokens()}
 * @param defaultTimeout    timeout of requests that give none (queue wait included)
 * @param loraFusion        whether a dominating LoRA is merged into the weights
 * @param fuseMinRequests   with {@link LoraFusion#AUTO}: running + queued requests of one LoRA needed to merge it
 * @param phaseQuantum      how long a request whose adapter needs other weights (SHiRA) waits before the running
 *                          phase stops admitting and drains (see DESIGN.md)
 * @param baseModelId       id of the served base model; compared with the caller's expected base at load (null =
 *                          no check)
 * @param retryAfter        the hint carried by {@link QueueFullException}
 * @param compiledSteps     whether prefill and decode steps run as one compiled TorchScript call each
 *                          ({@code CompiledStep}); when off, or when it cannot be compiled, the eager forward
 */
public record ServingSettings(int maxQueuedRequests, int maxBatchRows, int maxPrefillRows, int maxNewTokens,
                              Duration defaultTimeout, LoraFusion loraFusion, int fuseMinRequests,
                              Duration phaseQuantum, String baseModelId, Duration retryAfter,
                              boolean compiledSteps) {

    public ServingSettings {
        if (maxQueuedRequests < 1 || maxBatchRows < 1 || maxPrefillRows < 1 || maxNewTokens < 1
                || fuseMinRequests < 1) {
            throw new IllegalArgumentException("queue, batch, prefill, token and fusion limits must be >= 1");
        }
        if (defaultTimeout == null || defaultTimeout.isNegative() || defaultTimeout.isZero()
                || phaseQuantum == null || phaseQuantum.isNegative() || retryAfter == null || loraFusion == null) {
            throw new IllegalArgumentException("timeouts must be positive and the fusion policy set");
        }
    }

    /**
     * 256 queued, 32 rows, 8 prefill rows, 1024 tokens, 120 s, fusion OFF, 8, 2 s, no base id, retry 1 s, compiled
     * steps on.
     */
    public static ServingSettings defaults() {
        return new ServingSettings(256, 32, 8, 1024, Duration.ofSeconds(120), LoraFusion.OFF, 8,
                Duration.ofSeconds(2), null, Duration.ofSeconds(1), true);
    }

    public ServingSettings withMaxQueuedRequests(int v) {
        return new ServingSettings(v, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout, loraFusion,
                fuseMinRequests, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withMaxBatchRows(int v) {
        return new ServingSettings(maxQueuedRequests, v, maxPrefillRows, maxNewTokens, defaultTimeout, loraFusion,
                fuseMinRequests, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withMaxPrefillRows(int v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, v, maxNewTokens, defaultTimeout, loraFusion,
                fuseMinRequests, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withMaxNewTokens(int v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, v, defaultTimeout, loraFusion,
                fuseMinRequests, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withDefaultTimeout(Duration v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, v, loraFusion,
                fuseMinRequests, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withLoraFusion(LoraFusion v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout, v,
                fuseMinRequests, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withFuseMinRequests(int v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout,
                loraFusion, v, phaseQuantum, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withPhaseQuantum(Duration v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout,
                loraFusion, fuseMinRequests, v, baseModelId, retryAfter, compiledSteps);
    }

    public ServingSettings withBaseModelId(String v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout,
                loraFusion, fuseMinRequests, phaseQuantum, v, retryAfter, compiledSteps);
    }

    public ServingSettings withRetryAfter(Duration v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout,
                loraFusion, fuseMinRequests, phaseQuantum, baseModelId, v, compiledSteps);
    }

    public ServingSettings withCompiledSteps(boolean v) {
        return new ServingSettings(maxQueuedRequests, maxBatchRows, maxPrefillRows, maxNewTokens, defaultTimeout,
                loraFusion, fuseMinRequests, phaseQuantum, baseModelId, retryAfter, v);
    }
}
