package dev.adapterhub.registry.storage;

/** An object written by the service: where it is, how big, and the SHA-256 (hex) of its bytes. */
public record StoredObject(String bucket, String key, long size, String sha256) {
}
