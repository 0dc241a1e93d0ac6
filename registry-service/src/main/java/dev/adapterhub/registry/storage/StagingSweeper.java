package dev.adapterhub.registry.storage;

import dev.adapterhub.registry.config.RegistryConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Removes staging objects left behind by uploads that crashed between staging and commit, and the multipart files
 * a killed registry left in its local uploads directory (the framework deletes them when a request ends, which a
 * killed process never reaches). Normal requests delete both themselves; this only catches what a killed process
 * could not.
 */
@ApplicationScoped
public class StagingSweeper {

    private static final Logger LOG = Logger.getLogger(StagingSweeper.class);

    /**
     * How the framework names the files it spools multipart parts to: the REST layer's, and Vert.x's (a UUID) for
     * chunked bodies (error.BodyLimitFilter). Nothing else in the directory is touched.
     */
    private static final Pattern UPLOAD_FILE = Pattern.compile(
            "resteasy-reactive\\d+upload|\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    private final ObjectStorage storage;
    private final RegistryConfig config;
    private final Path uploadsDirectory;

    public StagingSweeper(ObjectStorage storage, RegistryConfig config,
                          @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploadsDirectory) {
        this.storage = storage;
        this.config = config;
        this.uploadsDirectory = Path.of(uploadsDirectory);
    }

    @Scheduled(every = "${adapterhub.storage.sweep-interval:PT10M}", delayed = "PT30S",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant cutoff = Instant.now().minus(config.storage().stagingMaxAge());
        sweepOlderThan(cutoff);
        sweepUploadsOlderThan(cutoff);
    }

    /** Removes spooled multipart files last modified before {@code cutoff}; returns how many were removed. */
    public int sweepUploadsOlderThan(Instant cutoff) {
        if (!Files.isDirectory(uploadsDirectory)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(uploadsDirectory)) {
            for (Path file : files) {
                if (UPLOAD_FILE.matcher(file.getFileName().toString()).matches() && Files.isRegularFile(file)
                        && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warnf("Could not sweep the uploads directory %s: %s", uploadsDirectory, e.getMessage());
        }
        if (removed > 0) {
            LOG.infof("Removed %d orphaned upload files from %s", removed, uploadsDirectory);
        }
        return removed;
    }

    /** Removes staging objects last modified before {@code cutoff}; returns how many were removed. */
    public int sweepOlderThan(Instant cutoff) {
        int removed = 0;
        for (ObjectSummary object : storage.list(storage.bucket(), ObjectStorage.STAGING_PREFIX)) {
            if (object.lastModified().isBefore(cutoff)) {
                storage.removeQuietly(object.key());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("Removed %d orphaned staging objects", removed);
        }
        return removed;
    }
}
