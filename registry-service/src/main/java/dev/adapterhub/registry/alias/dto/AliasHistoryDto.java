package dev.adapterhub.registry.alias.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One audited alias move. */
@Schema(name = "AliasMove")
public record AliasHistoryDto(
        String alias,
        @Schema(description = "Absent when the move created the alias") Integer fromVersion,
        int toVersion,
        String movedBy,
        Instant movedAt) {
}
