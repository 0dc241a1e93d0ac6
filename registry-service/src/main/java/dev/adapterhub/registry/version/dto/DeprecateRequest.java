package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Deprecates a version. */
@Schema(name = "DeprecateVersion")
public record DeprecateRequest(
        @Schema(description = "Why; shown to consumers and sent in the event") String reason,
        @Schema(description = "Only for the platform's service accounts: the person they act for") String actor) {
}
