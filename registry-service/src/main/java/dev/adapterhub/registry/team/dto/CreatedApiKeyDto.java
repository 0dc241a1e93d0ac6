package dev.adapterhub.registry.team.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreatedApiKey")
public record CreatedApiKeyDto(
        @Schema(description = "The key; shown this once, only its hash is stored") String key,
        ApiKeyDto apiKey) {
}
