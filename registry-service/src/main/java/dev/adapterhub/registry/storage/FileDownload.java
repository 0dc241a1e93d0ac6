package dev.adapterhub.registry.storage;

/** Metadata needed to stream a stored file to a client. */
public record FileDownload(String fileName, String bucket, String objectKey, long sizeBytes, String sha256) {
}
