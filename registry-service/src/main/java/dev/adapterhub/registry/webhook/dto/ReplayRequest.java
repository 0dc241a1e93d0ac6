package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** Sends again every delivery of a subscription whose event came in [since, until). */
@Schema(name = "ReplayWebhookDeliveries")
public record ReplayRequest(@Schema(required = true) Instant since, @Schema(description = "Default: now") Instant until) {
}
