package dev.adapterhub.gateway.metrics;

import dev.adapterhub.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Every gateway metric (Prometheus names in README.md). Per-adapter series carry the bounded {@code adapter}
 * label of {@link AdapterLabels}.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final AdapterLabels labels;

    public GatewayMetrics(MeterRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.labels = new AdapterLabels(config.metrics().maxAdapterLabels());
    }

    /** Registers a gauge read on every scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    /**
     * One finished request.
     *
     * @param endpoint completions or chat
     * @param outcome  stop, length, cancelled, timeout, or an error code
     */
    public void request(String endpoint, String adapter, String outcome, Duration took) {
        String a = labels.of(adapter);
        Counter.builder("adapterhub.gateway.requests").description("Inference requests by outcome")
                .tags("endpoint", endpoint, "adapter", a, "outcome", outcome).register(registry).increment();
        if (took != null) {
            Timer.builder("adapterhub.gateway.request.duration").description("Request latency, admission to last token")
                    .tags("endpoint", endpoint, "adapter", a).publishPercentileHistogram()
                    .register(registry).record(took);
        }
    }

    public void tokens(String adapter, int promptTokens, int completionTokens) {
        String a = labels.of(adapter);
        Counter.builder("adapterhub.gateway.tokens").description("Tokens processed")
                .tags("adapter", a, "kind", "prompt").register(registry).increment(promptTokens);
        Counter.builder("adapterhub.gateway.tokens").description("Tokens processed")
                .tags("adapter", a, "kind", "completion").register(registry).increment(completionTokens);
    }

    /** Time to first token and mean time per further output token of one request. */
    public void latency(String adapter, Duration timeToFirstToken, Duration total, int completionTokens) {
        if (timeToFirstToken == null) {
            return;
        }
        String a = labels.of(adapter);
        Timer.builder("adapterhub.gateway.time.to.first.token").description("Submission to first generated token")
                .tags("adapter", a).publishPercentileHistogram().register(registry).record(timeToFirstToken);
        if (completionTokens > 1 && total != null) {
            Duration perToken = total.minus(timeToFirstToken).dividedBy(completionTokens - 1);
            Timer.builder("adapterhub.gateway.time.per.output.token")
                    .description("Mean time per output token after the first").tags("adapter", a)
                    .publishPercentileHistogram().register(registry).record(perToken);
        }
    }

    public void cacheHit(String adapter) {
        cacheCounter("adapterhub.gateway.adapter.cache.hits", "Adapter cache hits", adapter);
    }

    public void cacheMiss(String adapter) {
        cacheCounter("adapterhub.gateway.adapter.cache.misses", "Adapter cache misses (loads started)", adapter);
    }

    public void cacheEviction(String adapter) {
        cacheCounter("adapterhub.gateway.adapter.cache.evictions", "Adapters evicted from the cache", adapter);
    }

    public void adapterLoaded(String adapter, Duration took) {
        Timer.builder("adapterhub.gateway.adapter.load.duration")
                .description("Download, verification and engine load of one adapter")
                .tags("adapter", labels.of(adapter)).register(registry).record(took);
    }

    public void baseModelLoaded(Duration took) {
        Timer.builder("adapterhub.gateway.base.model.load.duration").description("Download and load of a base model")
                .register(registry).record(took);
    }

    private void cacheCounter(String name, String description, String adapter) {
        Counter.builder(name).description(description).tags("adapter", labels.of(adapter)).register(registry)
                .increment();
    }
}
