package dev.adapterhub.registry.team.dto;

import dev.adapterhub.registry.security.Role;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A team API key as listed: everything but the key, which is shown once, at creation. */
@Schema(name = "ApiKey")
public record ApiKeyDto(
        @Schema(description = "Public id; the key reads ahk_<id>_<secret>") String id,
        String team,
        String name,
        Role role,
        @Schema(description = "read, write, admin, inference; never more than the role allows") List<String> scopes,
        String createdBy,
        Instant createdAt,
        @Schema(description = "Null: never expires") Instant expiresAt,
        @Schema(description = "The adapters the key may serve through the gateway; null: no limit") List<String> adapters,
        @Schema(description = "Updated at most once a minute") Instant lastUsedAt,
        Instant revokedAt,
        String revokedBy) {
}
