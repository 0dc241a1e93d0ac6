package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Absent fields stay as they are. Enabling a disabled subscription clears its failure count. */
@Schema(name = "UpdateWebhook")
public record UpdateWebhookRequest(String url, List<String> eventTypes, String description, Boolean enabled) {
}
