package dev.adapterhub.registry.storage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Upload protocol that leaves nothing reachable behind a failure: files go to a staging key first, are validated,
 * then committed by copying them to their content-addressed blob key and writing the metadata in one database
 * transaction. Staging objects are always deleted afterwards; blobs this upload created are deleted again when
 * the transaction fails. Anything a crash leaves under staging is removed by {@link StagingSweeper}.
 */
@ApplicationScoped
public class StagingArea {

    private final ObjectStorage storage;

    public StagingArea(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Streams local files to staging keys, computing SHA-256 per file. */
    public StagedUpload stage(Map<String, Path> filesByName) {
        String uploadId = UUID.randomUUID().toString();
        Map<String, StagedFile> staged = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> entry : filesByName.entrySet()) {
                String key = ObjectStorage.STAGING_PREFIX + uploadId + "/" + entry.getKey();
                StoredObject stored = storage.putFile(key, entry.getValue(), contentType(entry.getKey()));
                staged.put(entry.getKey(),
                        new StagedFile(entry.getKey(), entry.getValue(), key, stored.size(), stored.sha256()));
            }
        } catch (RuntimeException e) {
            discard(new StagedUpload(uploadId, staged));
            throw e;
        }
        return new StagedUpload(uploadId, staged);
    }

    /**
     * Copies the staged files to their blob keys, then runs {@code metadataTransaction} in a new transaction.
     * Staging is cleaned in every case.
     */
    public <T> T commit(StagedUpload upload, Supplier<T> metadataTransaction) {
        List<String> createdBlobs = new ArrayList<>();
        try {
            for (StagedFile file : upload.files().values()) {
                // Content addressing: identical bytes are stored once (a new version usually reuses its config).
                if (!storage.exists(file.blobKey())) {
                    storage.copy(file.stagingKey(), file.blobKey());
                    createdBlobs.add(file.blobKey());
                }
            }
            return QuarkusTransaction.requiringNew().call(metadataTransaction::get);
        } catch (RuntimeException e) {
            createdBlobs.forEach(storage::removeQuietly);
            throw e;
        } finally {
            discard(upload);
        }
    }

    /** Deletes the staging objects of an upload (best effort; the sweeper catches leftovers). */
    public void discard(StagedUpload upload) {
        for (StagedFile file : upload.files().values()) {
            storage.removeQuietly(file.stagingKey());
        }
    }

    static String contentType(String fileName) {
        return fileName.endsWith(".json") ? "application/json" : "application/octet-stream";
    }
}
