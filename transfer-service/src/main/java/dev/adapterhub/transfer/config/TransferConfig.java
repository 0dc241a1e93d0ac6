package dev.adapterhub.transfer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Runtime configuration of the transfer service; every key lives under {@code adapterhub.transfer.}. */
@ConfigMapping(prefix = "adapterhub.transfer")
public interface TransferConfig {

    /** REST base of registry-service; by default the platform-wide {@code adapterhub.registry.url}. */
    @WithDefault("${adapterhub.registry.url:http://localhost:8080/api/v1}")
    String registryUrl();

    /**
     * API key of this service's account at the registry (Helm: a Secret); by default the platform-wide
     * {@code adapterhub.registry.api-key}. Unset only against a registry with security disabled.
     */
    @WithDefault("${adapterhub.registry.api-key:}")
    Optional<String> registryApiKey();

    /**
     * How long the registry's answer about a caller's credential is reused; a revoked key stops working here within
     * this time.
     */
    @WithDefault("PT30S")
    Duration callerCacheTtl();

    /** Timeout of one call to the registry. */
    @WithDefault("PT30S")
    Duration registryTimeout();

    /** Kafka bootstrap servers; by default the platform-wide {@code kafka.bootstrap.servers}. */
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();

    /** The registry's lifecycle topic, where {@code base-model.superseded} arrives. */
    @WithDefault("adapterhub.registry.events.v1")
    String registryEventsTopic();

    /**
     * The training events topic, where {@code job.transfer-gated} arrives: a version promoted onto a base that was
     * superseded meanwhile is moved on.
     */
    @WithDefault("adapterhub.training.events.v1")
    String trainingEventsTopic();

    /** Consumer group of all transfer-service replicas (each event is planned by one of them). */
    @WithDefault("adapterhub-transfer-service")
    String groupId();

    /** Wait before reading an event again when the registry could not be reached. */
    @WithDefault("PT5S")
    Duration retryBackoff();

    /**
     * Aliases whose versions move first, in this order; versions under any other alias follow. A version with no
     * alias is not moved by a supersede (nothing serves it).
     */
    @WithDefault("production")
    List<String> priorityAliases();
}
