package dev.adapterhub.worker.job;

import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RegistryConflictException;
import dev.adapterhub.registry.client.RegistryRejectedException;
import dev.adapterhub.registry.client.model.Completion;
import dev.adapterhub.registry.client.model.CompletionResult;
import dev.adapterhub.registry.client.model.Heartbeat;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.registry.client.model.TrainingJobClaim;
import dev.adapterhub.worker.cache.CorruptInputException;
import dev.adapterhub.worker.cache.InputCache;
import dev.adapterhub.worker.config.WorkerConfig;
import dev.adapterhub.worker.engine.EngineFailures;
import dev.adapterhub.worker.engine.EngineTrainer;
import dev.adapterhub.worker.engine.EngineTransfer;
import dev.adapterhub.worker.progress.ProgressThrottle;
import dev.adapterhub.worker.storage.MissingObjectException;
import dev.adapterhub.worker.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs one claimed attempt to its end: inputs from the cache, training with the engine (resumed from the last
 * uploaded checkpoint when the claim says so), export, hand-in. Every outcome is reported to the registry exactly
 * once: {@code complete}, {@code fail}, or nothing when the lease was lost (the registry already decided).
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final RegistryClient registry;
    private final InputCache cache;
    private final ObjectStore store;
    private final EngineTrainer trainer;
    private final EngineTransfer transfers;
    private final WorkerConfig config;
    private volatile boolean stopRequested;

    public JobRunner(RegistryClient registry, InputCache cache, ObjectStore store, EngineTrainer trainer,
                     EngineTransfer transfers, WorkerConfig config) {
        this.transfers = transfers;
        this.registry = registry;
        this.cache = cache;
        this.store = store;
        this.trainer = trainer;
        this.config = config;
    }

    /** Asks a running job to hand over at its next step (process shutdown): reported as a retryable failure. */
    public void requestStop() {
        stopRequested = true;
    }

    public void run(TrainingJobClaim claim) {
        Job job = claim.job();
        Path workDir = Path.of(config.runtime().workDir()).resolve(job.id() + "-attempt-" + job.attempt());
        try (Lease lease = new Lease(registry, job.id(), claim.leaseToken(), config.heartbeatInterval())) {
            try {
                Completion completion = train(claim, lease, workDir);
                complete(claim, lease, completion);
            } catch (JobAbortedException e) {
                LOG.infof("job %s attempt %d stopped: %s", job.id(), job.attempt(), e.getMessage());
            } catch (Exception | OutOfMemoryError e) {
                Failure failure = Failure.classify(e);
                LOG.errorf(e, "job %s attempt %d failed (%s)", job.id(), job.attempt(),
                        failure.retryable() ? "retryable" : "final");
                reportFailure(claim, lease, failure);
            }
        } finally {
            deleteQuietly(workDir);
        }
    }

    private Completion train(TrainingJobClaim claim, Lease lease, Path workDir) throws IOException {
        Job job = claim.job();
        if (job.isTransfer()) {
            return transfer(claim, lease, workDir);
        }
        Path baseDir = cache.baseModel(claim.baseModelFiles());
        Path datasetFile = cache.file(claim.datasetFile());
        String bucket = claim.datasetFile().bucket();
        Path resumeFrom = resume(claim, workDir, bucket);
        lease.send(Heartbeat.message(lease.token(), "Inputs ready: base model " + job.baseModel().name() + "@"
                + job.baseModel().revision() + ", dataset " + job.dataset().digest()
                + (resumeFrom == null ? "" : ", checkpoint of step " + claim.resumeFromStep())));

        // The reporter checks the lease once more when training ends, so a lost lease exports nothing.
        return trainer.train(job, new EngineTrainer.Inputs(baseDir, datasetFile, resumeFrom, workDir),
                reporter(claim, lease, bucket));
    }

    /** A TRANSFER: the target and source bases, the source adapter and its kit instead of a dataset. */
    private Completion transfer(TrainingJobClaim claim, Lease lease, Path workDir) throws IOException {
        Job job = claim.job();
        TrainingJobClaim.TransferInputs inputs = claim.transfer();
        if (inputs == null) {
            throw new IllegalArgumentException("the registry sent a TRANSFER claim without its transfer inputs");
        }
        Path targetBase = cache.baseModel(claim.baseModelFiles());
        Path sourceBase = cache.baseModel(inputs.sourceBaseModelFiles());
        Path sourceAdapter = cache.baseModel(inputs.sourceAdapterFiles());
        Path discriminator = inputs.discriminatorFiles().isEmpty() ? null
                : cache.baseModel(inputs.discriminatorFiles());
        Path evaluationSet = inputs.evaluationSetFile() == null ? null : cache.file(inputs.evaluationSetFile());
        String bucket = claim.baseModelFiles().get(0).bucket();
        Path resumeFrom = resume(claim, workDir, bucket);
        Job.Transfer transfer = job.transfer();
        lease.send(Heartbeat.message(lease.token(), "Inputs ready: " + transfer.sourceVersion().adapterName() + "@"
                + transfer.sourceVersion().version() + " on " + transfer.sourceBaseModel() + ", target "
                + job.baseModel().name() + "@" + job.baseModel().revision() + ", kit " + transfer.kitStatus()
                + (evaluationSet == null ? "" : ", evaluation set " + transfer.evaluationSet())
                + (resumeFrom == null ? "" : ", checkpoint of step " + claim.resumeFromStep())));
        return transfers.transfer(job, new EngineTransfer.Inputs(targetBase, sourceBase, sourceAdapter,
                discriminator, inputs.seedExamples(), evaluationSet, resumeFrom, workDir),
                reporter(claim, lease, bucket));
    }

    private RegistryProgressReporter reporter(TrainingJobClaim claim, Lease lease, String bucket) {
        return new RegistryProgressReporter(lease, new ProgressThrottle(config.progressInterval()), store, bucket,
                claim.checkpointPrefix(), () -> stopRequested);
    }

    /** Downloads the checkpoint the claim says to resume from; null when it starts fresh. */
    private Path resume(TrainingJobClaim claim, Path workDir, String bucket) throws IOException {
        Path resumeFrom = null;
        if (claim.resumeFromStep() != null) {
            String prefix = RegistryProgressReporter.checkpointKey(claim.checkpointPrefix(), claim.resumeFromStep());
            resumeFrom = EngineTrainer.resumeDirectory(workDir, claim.resumeFromStep());
            int objects = store.downloadDirectory(bucket, prefix, resumeFrom);
            if (objects == 0) {
                throw new IOException("checkpoint s3://" + bucket + "/" + prefix + " announced but not found");
            }
        }
        return resumeFrom;
    }

    private void complete(TrainingJobClaim claim, Lease lease, Completion completion) {
        Job job = claim.job();
        try {
            // The client repeats the call while the registry is unavailable (complete is idempotent by job id); the
            // lease's own timer keeps renewing the lease meanwhile.
            CompletionResult answer = registry.complete(job.id(), lease.token(), completion);
            LOG.infof("job %s succeeded: %s version %d", job.id(), job.adapterName(), answer.version().version());
        } catch (RegistryConflictException e) {
            if (e.isLeaseLost()) {
                throw new JobAbortedException(e.getMessage());
            }
            throw e;
        }
    }

    private void reportFailure(TrainingJobClaim claim, Lease lease, Failure failure) {
        try {
            registry.fail(claim.job().id(), lease.token(), failure.reason(), failure.retryable());
        } catch (RuntimeException e) {
            // The lease will expire and the reaper re-queues the attempt: nothing is lost.
            LOG.warnf("job %s: could not report the failure (%s); the lease will expire", claim.job().id(),
                    e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not clean %s: %s", dir, e.getMessage());
        }
    }

    /** Why an attempt failed, as the user will read it, and whether another attempt could succeed. */
    record Failure(String reason, boolean retryable) {

        static Failure classify(Throwable e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // These cannot succeed on another attempt; everything else (I/O, storage, memory) might.
            boolean retryable = !(e instanceof IllegalArgumentException
                    || e instanceof RegistryRejectedException
                    || EngineFailures.isPermanent(e)
                    || e instanceof CorruptInputException
                    || e instanceof MissingObjectException);
            String kind = e instanceof OutOfMemoryError ? "out of memory: " : EngineFailures.kind(e);
            if (e instanceof WorkerStoppingException) {
                return new Failure(message, true);
            }
            String reason = kind + message;
            return new Failure(reason.length() > 900 ? reason.substring(0, 900) + "…" : reason, retryable);
        }
    }
}
