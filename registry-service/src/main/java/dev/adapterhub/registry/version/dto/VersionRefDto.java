package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/** Points at another version (lineage). */
@Schema(name = "VersionRef")
public record VersionRefDto(UUID id, String adapterName, int version, String digest) {
}
