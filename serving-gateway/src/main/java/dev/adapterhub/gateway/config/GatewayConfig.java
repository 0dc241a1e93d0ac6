package dev.adapterhub.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runtime configuration of the serving gateway. Every key lives under {@code adapterhub.gateway.} and every
 * default is stated here; README.md has the same table.
 */
@ConfigMapping(prefix = "adapterhub.gateway")
public interface GatewayConfig {

    /**
     * Base URL of registry-service, with or without the {@code /api/v1} suffix (the worker's key takes the bare
     * service URL; both forms work here). Defaults to the platform-wide {@code adapterhub.registry.url}.
     */
    @WithDefault("${adapterhub.registry.url:http://localhost:8080}")
    String registryUrl();

    /**
     * API key of this service's account at the registry (Helm: a Secret); by default the platform-wide
     * {@code adapterhub.registry.api-key}. Unset only against a registry with security disabled.
     */
    @WithDefault("${adapterhub.registry.api-key:}")
    Optional<String> registryApiKey();

    /**
     * How long the registry's answer about a caller's API key or token is reused; a revoked key stops working here
     * within this time.
     */
    @WithDefault("PT30S")
    Duration callerCacheTtl();

    /** Bound of one registry call (connect and response headers; file downloads stream after that). */
    @WithDefault("PT30S")
    Duration registryTimeout();

    /**
     * How long a resolved {@code model} name (alias -> version digest, base name -> revision) is reused. Registry
     * events invalidate earlier; this TTL bounds staleness when events are late or Kafka is unreachable.
     * {@code PT0S} resolves on every request.
     */
    @WithDefault("PT1S")
    Duration resolveTtl();

    /**
     * Alias a bare adapter name resolves to when the adapter has it; otherwise the bare name means the highest
     * non-deprecated version (the registry's {@code latest}).
     */
    @WithDefault("production")
    String defaultAlias();

    /**
     * Base models this gateway serves (refs such as {@code llama-3-8b} or {@code llama-3-8b@main}); empty = every
     * base model of the registry, loaded on first use. Adapters on other base models are refused with 422.
     */
    Optional<List<String>> servedBaseModels();

    /** Base models kept loaded at once; the least recently used idle one is closed to make room. */
    @WithDefault("1")
    int maxLoadedBaseModels();

    /** Local directory for downloaded base models and adapters (content-addressed sub-directories). */
    @WithDefault("${java.io.tmpdir}/adapterhub-gateway/cache")
    String cacheDir();

    /** Requests admitted at once (queued, loading or generating); beyond it: 503 with Retry-After. */
    @WithDefault("64")
    int maxInFlightRequests();

    /** Bound of one request from admission to its last token; then it is cancelled (504). */
    @WithDefault("PT120S")
    Duration requestTimeout();

    /** {@code max_tokens} when a request names none. */
    @WithDefault("256")
    int defaultMaxTokens();

    /** Largest accepted {@code max_tokens}. */
    @WithDefault("4096")
    int maxTokensLimit();

    /** Largest accepted prompt, in characters (after the chat template). */
    @WithDefault("65536")
    int maxPromptChars();

    /** Value of the Retry-After header on 503 answers, in seconds. */
    @WithDefault("1")
    int retryAfterSeconds();

    /** Adapter cache bounds. */
    Cache cache();

    /** Admin API guard. */
    Admin admin();

    /** Registry lifecycle events. */
    Events events();

    /** Prometheus metrics. */
    Metrics metrics();

    /** DJL runtime. */
    Runtime runtime();

    interface Cache {
        /** Adapters loaded at once (pinned ones included). */
        @WithDefault("32")
        int maxAdapters();

        /** Total size of the loaded adapters' files, in bytes (1 GiB). */
        @WithDefault("1073741824")
        long maxBytes();
    }

    interface Admin {
        /**
         * Whether {@code /admin/v1/*} exists at all; when it does, only the registry's platform admin may call it
         * (the credential is verified with the registry like any other).
         */
        @WithDefault("true")
        boolean enabled();
    }

    interface Events {
        /** Consume registry events to invalidate resolutions and prefetch moved aliases. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka bootstrap servers; by default the platform-wide {@code kafka.bootstrap.servers}. */
        @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
        String bootstrapServers();

        /** The registry's lifecycle topic. */
        @WithDefault("adapterhub.registry.events.v1")
        String topic();

        /**
         * Prefetch the new target of a moved alias when the adapter has a loaded version, so the first request
         * after the move does not pay the download.
         */
        @WithDefault("true")
        boolean prefetchOnAliasMove();
    }

    interface Metrics {
        /**
         * Adapters that get their own {@code adapter} label value (the first ones seen); the rest are counted
         * under {@code other}, which bounds the metrics' cardinality.
         */
        @WithDefault("20")
        int maxAdapterLabels();
    }

    interface Runtime {
        /** {@code auto} (CUDA when present, else CPU), {@code cpu} or {@code gpu}. */
        @WithDefault("auto")
        String device();

        /**
         * The base model's weights: {@code auto} (F16 on a GPU, F32 on the CPU), {@code float32} or {@code float16}.
         * Adapters are computed in the same dtype; logits are sampled in F32. {@code bfloat16} is refused (DJL's BF16
         * abort, docs/gpu.md).
         */
        @WithDefault("auto")
        String dtype();

        /**
         * Intra-op threads of libtorch ({@code ai.djl.pytorch.num_threads}); 0 = every core but one, which is left
         * to the HTTP side (streaming every token costs it CPU that a step on all cores would wait for). 1 is
         * fastest on a CPU shared with other busy processes (adapter-engine DESIGN.md, "Threads").
         */
        @WithDefault("0")
        int threads();

        /** Requests decoded together in one batch step. */
        @WithDefault("8")
        int maxBatchSize();

        /** Requests waiting for a batch slot per base model; beyond it: 503 with Retry-After. */
        @WithDefault("64")
        int maxQueuedRequests();

        /**
         * {@code OFF} or {@code AUTO}: merge a LoRA into the weights while it alone has enough requests (engine
         * setting {@code loraFusion}, see DESIGN.md).
         */
        @WithDefault("OFF")
        String loraFusion();

        /**
         * How long a request that needs other weights (a SHiRA while LoRAs run, or the reverse) may wait before the
         * engine drains and switches (engine setting {@code phaseQuantum}).
         */
        @WithDefault("PT2S")
        Duration phaseQuantum();

        /**
         * Run each prefill and decode step as one compiled TorchScript call (engine setting {@code compiledSteps},
         * ADR 16); off: one DJL call per op, the reference path.
         */
        @WithDefault("true")
        boolean compiledSteps();
    }
}
