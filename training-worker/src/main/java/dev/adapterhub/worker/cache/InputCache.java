package dev.adapterhub.worker.cache;

import dev.adapterhub.worker.config.WorkerConfig;
import dev.adapterhub.worker.registry.ClaimedJob.StoredFile;
import dev.adapterhub.worker.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
    public Path file(StoredFile file) throws IOException {
        String sha256 = requireHex(file);
        Path blob = root.resolve("blobs").resolve(sha256);
        if (Files.isRegularFile(blob)) {
            return blob;
        }
        Path download = root.resolve("downloads").resolve(sha256);
        store.download(file.bucket(), file.objectKey(), download);
        String actual = sha256(download);
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(download);
            throw new CorruptInputException(file.fileName() + " from s3://" + file.bucket() + "/" + file.objectKey()
                    + " has SHA-256 " + actual + ", the registry recorded " + sha256);
        }
        Files.createDirectories(blob.getParent());
        Files.move(download, blob, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return blob;
    }

    /** A directory with the model's files under their HF names (config.json, tokenizer.json, weights). */
    public Path baseModel(List<StoredFile> files) throws IOException {
        StringBuilder listing = new StringBuilder();
        files.stream().sorted((a, b) -> a.fileName().compareTo(b.fileName()))
                .forEach(f -> listing.append(f.fileName()).append(' ').append(requireHex(f)).append('\n'));
        Path dir = root.resolve("models").resolve(sha256(listing.toString().getBytes()));
        Path complete = dir.resolve(".complete");
        if (Files.exists(complete)) {
            return dir;
        }
        Files.createDirectories(dir);
        for (StoredFile f : files) {
            Path blob = file(f);
            Path link = dir.resolve(f.fileName());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, blob.toAbsolutePath());
        }
        Files.writeString(complete, listing);
        return dir;
    }

    private static String requireHex(StoredFile file) {
        String sha = file.sha256();
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw new CorruptInputException(file.fileName() + " has no valid sha256 in the claim: " + sha);
        }
        return sha;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
