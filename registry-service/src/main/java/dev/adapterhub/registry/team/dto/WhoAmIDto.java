package dev.adapterhub.registry.team.dto;

import dev.adapterhub.registry.security.Role;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The caller as the registry sees it; the gateway and the transfer service verify credentials with it. */
@Schema(name = "WhoAmI")
public record WhoAmIDto(
        @Schema(description = "What the audit trail records") String name,
        @Schema(description = "USER, API_KEY or SERVICE") String kind,
        boolean platformAdmin,
        @Schema(description = "Team name to role") Map<String, Role> teams,
        List<String> scopes,
        @Schema(description = "For a key limited to some adapters (names or prefixes ending in *): those; else null")
        List<String> adapters) {
}
