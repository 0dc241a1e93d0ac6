package dev.adapterhub.registry.webhook.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One try to deliver: what the receiver answered (or why nothing came back), and how long it took. */
@Entity
@Table(name = "webhook_attempt")
public class WebhookAttempt {

    @Id
    public UUID id;

    @Column(name = "delivery_id", nullable = false)
    public UUID deliveryId;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "duration_ms", nullable = false)
    public long durationMs;

    @Column(name = "status_code")
    public Integer statusCode;

    public String error;

    @Column(name = "response_body")
    public String responseBody;
}
