package dev.adapterhub.registry.webhook.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

@Schema(name = "CreateWebhook")
public record CreateWebhookRequest(
        @Schema(required = true, description = "http(s) URL the events are POSTed to; no loopback, private, "
                + "link-local or metadata address unless the operator allowed it", examples = "https://ci.example.com/hooks/adapterhub")
        String url,
        @Schema(required = true, description = "Event types; a trailing * matches a prefix",
                examples = "[\"dev.adapterhub.registry.alias.moved\", \"dev.adapterhub.training.job.*\"]")
        List<String> eventTypes,
        String description,
        @Schema(description = "Default true") Boolean enabled) {
}
