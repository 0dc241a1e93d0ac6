package dev.adapterhub.registry.client.model;

/**
 * A file of a base model or an adapter version (schemas {@code StoredFile} and {@code VersionFile}, which have
 * the same fields).
 *
 * @param sha256       lower-case hex; absent for files of a referenced base model the registry did not read
 * @param downloadPath API path that streams the file
 */
public record StoredFile(String name, long sizeBytes, String sha256, String downloadPath) {
}
