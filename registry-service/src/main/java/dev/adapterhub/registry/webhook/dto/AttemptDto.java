package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

@Schema(name = "WebhookAttempt")
public record AttemptDto(
        int attempt,
        Instant startedAt,
        long durationMs,
        @Schema(description = "The receiver's HTTP status; null when none came (refused, timed out, unreachable)")
        Integer statusCode,
        String error,
        @Schema(description = "The receiver's answer, truncated") String responseBody) {
}
