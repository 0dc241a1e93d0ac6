package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A subscription with its signing secret, shown once: when it is created and when the secret is rotated. */
@Schema(name = "WebhookWithSecret")
public record WebhookSecretDto(
        @Schema(description = "whsec_<base64>: verify webhook-signature with it (Standard Webhooks)") String secret,
        WebhookDto webhook) {
}
