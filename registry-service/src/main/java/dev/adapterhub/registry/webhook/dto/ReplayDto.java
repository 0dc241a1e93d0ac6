package dev.adapterhub.registry.webhook.dto;

@org.eclipse.microprofile.openapi.annotations.media.Schema(name = "WebhookReplay")
public record ReplayDto(int replayed) {
}
