package dev.adapterhub.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runtime configuration of the registry service. Every key lives under {@code adapterhub.} and every
 * default is stated here, at the declaration.
 */
@ConfigMapping(prefix = "adapterhub")
public interface RegistryConfig {

    /** Object storage (S3 / MinIO) holding every blob the registry serves. */
    Storage storage();

    /** Outbox relay and the Kafka producer it uses. */
    Events events();

    /** Bounds on what clients may attach to a version. */
    Limits limits();

    /** Who may call the registry and what they may do (ADR 12, docs/security.md). */
    Security security();

    interface Storage {
        /** S3 endpoint URL, e.g. {@code http://minio:9000}. */
        @WithDefault("http://localhost:9000")
        String endpoint();

        /** Access key of the service account. */
        String accessKey();

        /** Secret key of the service account. */
        String secretKey();

        /** Region used for request signing. */
        @WithDefault("us-east-1")
        String region();

        /** Bucket the service owns; created at startup when missing. */
        @WithDefault("adapterhub")
        String bucket();

        /** Lifetime of presigned download URLs. */
        @WithDefault("PT15M")
        Duration presignExpiry();

        /** Staging objects older than this are considered orphaned and removed by the sweeper. */
        @WithDefault("PT1H")
        Duration stagingMaxAge();

        /** How often the staging sweeper runs (a Quarkus scheduler interval such as {@code 10m}). */
        @WithDefault("PT10M")
        Duration sweepInterval();
    }

    interface Events {
        /** Kafka topic of registry lifecycle events. */
        @WithDefault("adapterhub.registry.events.v1")
        String topic();

        /** Create the topic at the first send when it is missing (needs Kafka's CreateTopics permission). */
        @WithDefault("true")
        boolean createTopic();

        /** Partitions of the topic when the service creates it; events of one aggregate stay on one partition. */
        @WithDefault("3")
        int topicPartitions();

        /** Kafka bootstrap servers; by default the platform-wide {@code kafka.bootstrap.servers}. */
        @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
        String bootstrapServers();

        /** How often the relay polls the outbox (a Quarkus scheduler interval such as {@code 1s}). */
        @WithDefault("PT1S")
        Duration relayInterval();

        /** Maximum outbox rows relayed per transaction. */
        @WithDefault("100")
        int relayBatchSize();

        /**
         * Upper bound for one send, from {@code send()} to the broker's acknowledgement. Also bounds how long
         * the producer blocks for metadata when the broker is down, so a relay run never hangs.
         */
        @WithDefault("PT10S")
        Duration sendTimeout();
    }

    interface Limits {
        /** Maximum seed examples stored per version. */
        @WithDefault("10")
        int maxSeedExamples();

        /** Maximum characters of one seed example's prompt or completion. */
        @WithDefault("8192")
        int maxSeedExampleChars();

        /** Maximum metrics accepted in one request. */
        @WithDefault("100")
        int maxMetricsPerRequest();

        /** Maximum size of a JSON file read into memory (adapter_config.json, config.json, index). */
        @WithDefault("1048576")
        long maxJsonFileBytes();

        /** Largest JSON header accepted in an adapter's safetensors file (formats' own bound is far larger). */
        @WithDefault("16777216")
        long maxSafetensorsHeaderBytes();

        /** Largest page size a list endpoint returns. */
        @WithDefault("100")
        int maxPageSize();
    }

    interface Security {
        /**
         * False treats every caller as a platform admin, with no credential checked. Only for a throwaway sandbox;
         * Helm renders it only with {@code auth.disabled=true}.
         */
        @WithDefault("true")
        boolean enabled();

        /** Keys of the platform admin account, comma separated (two during a rotation); from a Secret. */
        Optional<List<String>> adminKeys();

        /** Keys of the training workers' service account: read everything, run jobs. */
        Optional<List<String>> workerKeys();

        /** Keys of the serving gateway's service account: read everything. */
        Optional<List<String>> gatewayKeys();

        /** Keys of the transfer service's account: read everything, submit and review transfers. */
        Optional<List<String>> transferKeys();

        /** Verification of OIDC / JWT bearer tokens, done locally against the configured keys. */
        Jwt jwt();

        /**
         * {@code s3://bucket/prefix/} locations a platform admin may register base models from by reference. None
         * by default; the platform's own {@code blobs/} and {@code staging/} are refused whatever this says.
         */
        Optional<List<String>> registrationPrefixes();

        /** Aliases a new adapter protects: only a team admin or the transfer gate moves them. */
        @WithDefault("production")
        List<String> protectedAliases();
    }

    interface Jwt {
        /** Expected {@code iss}; bearer tokens that are not API keys are refused while it is unset. */
        Optional<String> issuer();

        /** The issuer's public keys: a JWKS or PEM file path, or a URL (fetched once and cached). */
        Optional<String> publicKeyLocation();

        /** Expected {@code aud}, when the issuer sets one. */
        Optional<String> audience();

        /**
         * Claim listing the caller's groups: {@code team:<team>:<reader|writer|admin>} and {@code platform:admin}.
         */
        @WithDefault("groups")
        String groupsClaim();
    }
}
