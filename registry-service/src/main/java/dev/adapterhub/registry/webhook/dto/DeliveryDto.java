package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One event on its way to one subscription, with its attempts when asked for one delivery. */
@Schema(name = "WebhookDelivery")
public record DeliveryDto(
        UUID id,
        @Schema(description = "The webhook-id header, the same on every attempt and replay") String messageId,
        String eventType,
        @Schema(description = "The event's id (its CloudEvents id); null for a test fire") UUID eventId,
        @Schema(description = "PENDING, DELIVERED or FAILED (given up)") String state,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant createdAt,
        Instant deliveredAt,
        @Schema(description = "Every attempt, oldest first (only on GET of one delivery)") List<AttemptDto> log) {
}
