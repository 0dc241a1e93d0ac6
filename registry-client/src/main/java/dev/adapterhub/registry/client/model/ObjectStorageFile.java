package dev.adapterhub.registry.client.model;

/**
 * A job input in object storage, read by the worker directly (not through the registry).
 *
 * @param sha256 lower-case hex the bytes must have
 */
public record ObjectStorageFile(String fileName, String bucket, String objectKey, long sizeBytes, String sha256) {
}
