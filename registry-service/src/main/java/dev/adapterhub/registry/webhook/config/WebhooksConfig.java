package dev.adapterhub.registry.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook delivery (issue 11); every default is stated here. */
@ConfigMapping(prefix = "adapterhub.webhooks")
public interface WebhooksConfig {

    /**
     * AES-256 keys (base64 of 32 bytes, comma separated) that encrypt signing secrets at rest; the first encrypts,
     * every one decrypts, so a key is rotated by putting a new one first. Without one, webhooks cannot be created.
     */
    Optional<List<String>> encryptionKeys();

    /**
     * Targets allowed although they are loopback, private, link-local or metadata addresses: host names or CIDRs
     * such as {@code 127.0.0.1/32}. Empty by default; the local stack and the tests allow loopback.
     */
    Optional<List<String>> allowedTargets();

    /** How often new events are fanned out and due deliveries sent (a Quarkus scheduler interval). */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Events fanned out, and deliveries sent, per run. */
    @WithDefault("50")
    int batchSize();

    /** Bound of one attempt: connect, send, and the receiver's answer. */
    @WithDefault("PT10S")
    Duration timeout();

    /** First retry delay; it doubles per attempt (with jitter) up to {@link #maxBackoff()}. */
    @WithDefault("PT5S")
    Duration initialBackoff();

    @WithDefault("PT4H")
    Duration maxBackoff();

    /** A delivery still failing this long after its event is given up (FAILED). */
    @WithDefault("P1D")
    Duration maxAge();

    /** Consecutive failed attempts after which a subscription is disabled (with an event saying why). */
    @WithDefault("50")
    int disableAfterFailures();

    /** How long the secret before a rotation still signs deliveries, beside the new one. */
    @WithDefault("PT24H")
    Duration secretOverlap();

    /** Characters of a receiver's answer kept in the delivery log. */
    @WithDefault("1024")
    int responseBodyLimit();
}
