package dev.adapterhub.registry.basemodel.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored file. */
@Schema(name = "StoredFile")
public record FileDto(
        @Schema(description = "File name, e.g. model.safetensors") String name,
        @Schema(description = "Size in bytes") long sizeBytes,
        @Schema(description = "Hex SHA-256 of the bytes; absent for referenced files the registry did not read")
        String sha256,
        @Schema(description = "API path that streams the file") String downloadPath) {
}
