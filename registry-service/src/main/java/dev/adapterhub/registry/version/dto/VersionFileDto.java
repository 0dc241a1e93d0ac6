package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One file of a version. */
@Schema(name = "VersionFile")
public record VersionFileDto(String name, long sizeBytes, String sha256, String downloadPath) {
}
