package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A subscription as listed: everything but its secret. */
@Schema(name = "Webhook")
public record WebhookDto(
        UUID id,
        String team,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        @Schema(description = "Why it was disabled (automatically after persistent failure, or by a person)")
        String disabledReason,
        @Schema(description = "Failed attempts in a row; it is disabled at adapterhub.webhooks.disable-after-failures")
        int consecutiveFailures,
        @Schema(description = "Until when the secret before the last rotation still signs, beside the new one")
        Instant previousSecretUntil,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {
}
