package dev.adapterhub.registry.alias.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** An alias and the version it points at. */
@Schema(name = "Alias")
public record AliasDto(String alias, int version, UUID versionId, String digest, String updatedBy,
                       Instant updatedAt) {
}
