package dev.adapterhub.registry.webhook.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One event on its way to one subscription; retried until delivered or given up. */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery {

    public enum State { PENDING, DELIVERED, FAILED }

    @Id
    public UUID id;

    /** The {@code webhook-id} header; the same on every attempt and on a replay. */
    @Column(name = "message_id", nullable = false)
    public String messageId;

    @Column(name = "subscription_id", nullable = false)
    public UUID subscriptionId;

    /** The outbox event; null for a test fire. */
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** The CloudEvents envelope, sent as the body. */
    @Column(nullable = false)
    public String payload;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(nullable = false)
    public int attempts;

    /** When the next attempt is due; also the lease of an attempt in flight. Null once it ended. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
