package dev.adapterhub.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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
}
