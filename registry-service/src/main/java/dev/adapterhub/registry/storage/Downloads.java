package dev.adapterhub.registry.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.adapterhub.registry.config.RegistryConfig;

import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Streams a stored file to the client without buffering it. */
@ApplicationScoped
public class Downloads {

    private final ObjectStorage storage;

    private final RegistryConfig config;

    public Downloads(ObjectStorage storage, RegistryConfig config) {
        this.storage = storage;
        this.config = config;
    }

    /** A presigned GET URL for the file, valid for {@code adapterhub.storage.presign-expiry}. */
    public PresignedUrl presign(FileDownload file) {
        Instant expiresAt = Instant.now().plus(config.storage().presignExpiry()).truncatedTo(ChronoUnit.SECONDS);
        return new PresignedUrl(storage.presignedGetUrl(file.bucket(), file.objectKey(), file.fileName()),
                file.fileName(), file.sha256(), expiresAt);
    }

    public Response stream(FileDownload file) {
        // Open before answering so a missing object becomes a problem response, not a truncated 200.
        InputStream in = storage.open(file.bucket(), file.objectKey());
        StreamingOutput body = out -> {
            try (InputStream source = in) {
                source.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.ok(body, file.fileName().endsWith(".json")
                        ? MediaType.APPLICATION_JSON_TYPE : MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, file.sizeBytes())
                .header("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"");
        if (file.sha256() != null) {
            response.header(HttpHeaders.ETAG, "\"sha256:" + file.sha256() + "\"");
            response.header("X-Checksum-SHA256", file.sha256());
        }
        return response.build();
    }
}
