package dev.adapterhub.registry.events.data;

import java.util.UUID;

/** A team's webhook subscription was switched off after persistent delivery failure. */
public record WebhookDisabled(UUID webhookId, String team, String url, String reason, int consecutiveFailures) {
}
