package dev.adapterhub.worker.cache;

import dev.adapterhub.formats.digest.DigestMismatchException;
import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.registry.client.model.ObjectStorageFile;
import dev.adapterhub.worker.config.WorkerConfig;
import dev.adapterhub.worker.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Local copies of job inputs, addressed by content: {@code <cache-dir>/blobs/<sha256>} holds each verified file
 * once, and a base model is a directory of links to its blobs under its HF file names
 * ({@code <cache-dir>/models/<sha256 of the file list>/}). A second job on the same base model and dataset downloads
 * nothing.
 */
@ApplicationScoped
public class InputCache {

    private final ObjectStore store;
    private final Path root;

    public InputCache(ObjectStore store, WorkerConfig config) {
        this.store = store;
        this.root = Path.of(config.runtime().cacheDir());
    }

    /** The verified local copy of one file, downloaded when not cached. */
    public Path file(ObjectStorageFile file) throws IOException {
        String sha256 = requireHex(file);
        Path blob = root.resolve("blobs").resolve(sha256);
        if (Files.isRegularFile(blob)) {
            return blob;
        }
        try {
            store.download(file.bucket(), file.objectKey(), blob, sha256);
        } catch (DigestMismatchException e) {
            throw new CorruptInputException(file.fileName() + " from s3://" + file.bucket() + "/" + file.objectKey()
                    + " has SHA-256 " + e.actual() + ", the registry recorded " + sha256);
        }
        return blob;
    }

    /** A directory with the model's files under their HF names (config.json, tokenizer.json, weights). */
    public Path baseModel(List<ObjectStorageFile> files) throws IOException {
        StringBuilder listing = new StringBuilder();
        files.stream().sorted(Comparator.comparing(ObjectStorageFile::fileName))
                .forEach(f -> listing.append(f.fileName()).append(' ').append(requireHex(f)).append('\n'));
        Path dir = root.resolve("models").resolve(Sha256.hex(listing.toString().getBytes(StandardCharsets.UTF_8)));
        Path complete = dir.resolve(".complete");
        if (Files.exists(complete)) {
            return dir;
        }
        Files.createDirectories(dir);
        for (ObjectStorageFile f : files) {
            Path blob = file(f);
            Path link = dir.resolve(f.fileName());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, blob.toAbsolutePath());
        }
        Files.writeString(complete, listing);
        return dir;
    }

    private static String requireHex(ObjectStorageFile file) {
        String sha = file.sha256();
        if (!Sha256.isHex(sha)) {
            throw new CorruptInputException(file.fileName() + " has no valid sha256 in the claim: " + sha);
        }
        return sha;
    }
}
