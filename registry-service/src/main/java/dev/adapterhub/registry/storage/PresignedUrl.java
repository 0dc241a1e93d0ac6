package dev.adapterhub.registry.storage;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A time-limited direct download URL from object storage. */
@Schema(name = "PresignedUrl")
public record PresignedUrl(
        @Schema(description = "GET this URL; no credentials needed until it expires") String url,
        String fileName,
        @Schema(description = "Hex SHA-256 to verify the download") String sha256,
        Instant expiresAt) {
}
