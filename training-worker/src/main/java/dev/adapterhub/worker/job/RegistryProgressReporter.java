package dev.adapterhub.worker.job;

import dev.adapterhub.registry.client.model.Heartbeat;
import dev.adapterhub.worker.engine.JobProgress;
import dev.adapterhub.worker.progress.ProgressThrottle;
import dev.adapterhub.worker.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Turns training progress into heartbeats (throttled; evaluations and checkpoints always), uploads each checkpoint
 * to object storage <em>before</em> announcing it, and stops training once the lease is lost (also after the last
 * step, so a lost job exports nothing). Runs on the training thread.
 */
final class RegistryProgressReporter implements JobProgress {

    private final Lease lease;
    private final ProgressThrottle throttle;
    private final ObjectStore store;
    private final String bucket;
    private final String checkpointPrefix;
    private final BooleanSupplier stopRequested;
    private Step lastStep;
    private boolean runningSent;

    RegistryProgressReporter(Lease lease, ProgressThrottle throttle, ObjectStore store, String bucket,
                             String checkpointPrefix, BooleanSupplier stopRequested) {
        this.lease = lease;
        this.throttle = throttle;
        this.store = store;
        this.bucket = bucket;
        this.checkpointPrefix = checkpointPrefix;
        this.stopRequested = stopRequested;
    }

    /** The object-storage prefix of the checkpoint after {@code step} steps. */
    static String checkpointKey(String prefix, int step) {
        return prefix + String.format(Locale.ROOT, "step-%06d/", step);
    }

    @Override
    public void started(Started start) {
        String message = start.firstStep() > 0
                ? String.format(Locale.ROOT, "Training %s resumed from step %d of %d (%d trainable values)",
                start.method(), start.firstStep(), start.totalSteps(), start.trainableValues())
                : String.format(Locale.ROOT, "Training %s started: %d steps, %d trainable values, preparation %d ms",
                start.method(), start.totalSteps(), start.trainableValues(), start.prepareMillis());
        send(new Heartbeat(lease.token(), true, start.firstStep() > 0 ? start.firstStep() : null, null, null, null,
                null, null, null, null, message, null, null, null));
        runningSent = true;
    }

    @Override
    public void stepped(Step step) {
        lease.requireHeld();
        if (stopRequested.getAsBoolean()) {
            throw new WorkerStoppingException("worker stopped at step " + step.step()
                    + "; the job resumes from its last checkpoint on another worker");
        }
        lastStep = step;
        if (throttle.shouldReport(System.nanoTime(), step.step(), step.totalSteps(), false, false)) {
            send(progress(step, null, null, null));
        }
    }

    @Override
    public void evaluated(double loss, double exactMatch) {
        send(progress(lastStep, loss, exactMatch, null));
    }

    @Override
    public void checkpointed(int step, Path directory) {
        try {
            store.uploadDirectory(directory, bucket, checkpointKey(checkpointPrefix, step));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint upload failed", e);
        }
        // Only now may the registry hand this step to another worker as the resume point.
        send(progress(null, null, null, step));
    }

    @Override
    public void trained() {
        lease.requireHeld();
    }

    @Override
    public void phase(String message) {
        lease.requireHeld();
        send(Heartbeat.message(lease.token(), message));
    }

    @Override
    public void phaseProgress(String phase, int done, int total, String message) {
        lease.requireHeld();
        if (stopRequested.getAsBoolean()) {
            throw new WorkerStoppingException("worker stopped during " + phase
                    + "; the job starts again on another worker");
        }
        if (throttle.shouldReport(System.nanoTime(), done, total, false, false)) {
            Heartbeat heartbeat = Heartbeat.phase(lease.token(), phase, Math.min(done, total), total, message);
            // The inputs are ready and the work has begun: a transfer runs from its synthesis on.
            send(runningSent ? heartbeat : heartbeat.asRunning());
            runningSent = true;
        }
    }

    private Heartbeat progress(Step step, Double evalLoss, Double evalExactMatch, Integer checkpointStep) {
        return new Heartbeat(lease.token(), runningSent ? null : Boolean.TRUE,
                step == null ? null : step.step(),
                step == null ? null : finite(step.loss()),
                step == null ? null : step.learningRate(),
                step == null ? null : finite(step.tokensPerSecond()),
                step == null ? null : finite(step.etaSeconds()),
                evalLoss, evalExactMatch, checkpointStep, null, null, null, null);
    }

    private void send(Heartbeat heartbeat) {
        if (!lease.send(heartbeat)) {
            lease.requireHeld();
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
