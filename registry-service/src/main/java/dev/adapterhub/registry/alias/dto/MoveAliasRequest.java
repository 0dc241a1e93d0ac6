package dev.adapterhub.registry.alias.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Points an alias at a version. */
@Schema(name = "MoveAlias")
public record MoveAliasRequest(
        @Schema(required = true, description = "Target: version number, another alias (promotion) or latest",
                examples = "3") String version,
        @Schema(description = "Compare-and-set: the version the alias must point at now (0 = the alias must not "
                + "exist yet); 409 when it does not") Integer expectedVersion,
        @Schema(description = "Only for the platform's service accounts: the person they act for. Everyone else is "
                + "recorded as the authenticated caller") String actor) {
}
