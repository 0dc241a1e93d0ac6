package dev.adapterhub.registry.alias.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One audited attempt to move an alias. */
@Schema(name = "AliasMove")
public record AliasHistoryDto(
        String alias,
        @Schema(description = "Absent when the move created the alias, and for a refused attempt") Integer fromVersion,
        @Schema(description = "Absent for a refused attempt") Integer toVersion,
        @Schema(description = "MOVED, or REFUSED (the caller was not allowed; nothing moved)") String outcome,
        @Schema(description = "For a refused attempt: what was asked and why it was refused") String detail,
        String movedBy,
        Instant movedAt) {
}
