package dev.adapterhub.registry.storage;

import dev.adapterhub.registry.config.RegistryConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Removes staging objects left behind by uploads that crashed between staging and commit. Normal requests
 * delete their own staging objects; this only catches what a killed process could not.
 */
@ApplicationScoped
public class StagingSweeper {

    private static final Logger LOG = Logger.getLogger(StagingSweeper.class);

    private final ObjectStorage storage;
    private final RegistryConfig config;

    public StagingSweeper(ObjectStorage storage, RegistryConfig config) {
        this.storage = storage;
        this.config = config;
    }

    @Scheduled(every = "${adapterhub.storage.sweep-interval:PT10M}", delayed = "PT30S",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        sweepOlderThan(Instant.now().minus(config.storage().stagingMaxAge()));
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
