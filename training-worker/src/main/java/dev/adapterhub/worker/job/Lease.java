package dev.adapterhub.worker.job;

import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RegistryConflictException;
import dev.adapterhub.registry.client.RegistryRejectedException;
import dev.adapterhub.registry.client.RegistryUnavailableException;
import dev.adapterhub.registry.client.model.Heartbeat;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * This worker's lease on one job attempt. Every heartbeat (progress from the training thread, or a plain renewal
 * from its own timer when training is quiet, e.g. during a long evaluation) goes through here; the first 409
 * marks the lease lost and training stops at the next step.
 */
final class Lease implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Lease.class);

    private final RegistryClient registry;
    private final UUID jobId;
    private final String token;
    private final long intervalNanos;
    private final AtomicLong lastSentNanos = new AtomicLong(System.nanoTime());
    private final AtomicReference<String> lostReason = new AtomicReference<>();
    private final ScheduledExecutorService timer;

    Lease(RegistryClient registry, UUID jobId, UUID token, Duration interval) {
        this.registry = registry;
        this.jobId = jobId;
        this.token = token.toString();
        this.intervalNanos = interval.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lease-" + jobId);
            thread.setDaemon(true);
            return thread;
        });
        long periodMillis = Math.max(100, interval.toMillis() / 2);
        timer.scheduleWithFixedDelay(this::renewIfQuiet, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    String token() {
        return token;
    }

    /** Sends a heartbeat; returns false (and remembers why) when the registry says the lease is gone. */
    boolean send(Heartbeat heartbeat) {
        if (lostReason.get() != null) {
            return false;
        }
        try {
            registry.heartbeat(jobId, heartbeat);
            lastSentNanos.set(System.nanoTime());
            return true;
        } catch (RegistryConflictException e) {
            lostReason.compareAndSet(null, e.getMessage());
            return false;
        } catch (RegistryRejectedException e) {
            // A 400 means this worker sent something the registry refuses; the lease itself is fine.
            LOG.warnf("job %s: heartbeat refused: %s", jobId, e.getMessage());
            return true;
        } catch (RegistryUnavailableException e) {
            // The lease is still ours until it expires; the next heartbeat tells.
            LOG.warnf("job %s: heartbeat not delivered: %s", jobId, e.getMessage());
            return true;
        }
    }

    /** Throws {@link JobAbortedException} once the lease is lost; called by the training thread every step. */
    void requireHeld() {
        String reason = lostReason.get();
        if (reason != null) {
            throw new JobAbortedException(reason);
        }
    }

    private void renewIfQuiet() {
        if (System.nanoTime() - lastSentNanos.get() >= intervalNanos) {
            send(Heartbeat.renew(token));
        }
    }

    @Override
    public void close() {
        // Not shutdownNow: interrupting a heartbeat in flight would only log a spurious warning.
        timer.shutdown();
    }
}
