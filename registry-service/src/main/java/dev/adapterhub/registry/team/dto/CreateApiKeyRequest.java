package dev.adapterhub.registry.team.dto;

import dev.adapterhub.registry.security.Role;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

@Schema(name = "CreateApiKey")
public record CreateApiKeyRequest(
        @Schema(required = true, description = "Unique in the team", examples = "ci-deploy") String name,
        @Schema(required = true) Role role,
        @Schema(description = "Narrower than the role's: read, write, admin, inference. Default: all the role allows")
        List<String> scopes,
        @Schema(description = "When the key stops working; absent: never") Instant expiresAt,
        @Schema(description = "Limit what the key may call through the serving gateway to these adapters (names, or "
                + "prefixes ending in *); absent: every adapter the team may use") List<String> adapters) {
}
