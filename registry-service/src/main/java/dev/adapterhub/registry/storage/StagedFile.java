package dev.adapterhub.registry.storage;

import java.nio.file.Path;

/** A client file written to a staging key, with its SHA-256, still on local disk for validation. */
public record StagedFile(String name, Path localPath, String stagingKey, long size, String sha256) {

    public String blobKey() {
        return ObjectStorage.blobKey(sha256);
    }
}
