package dev.adapterhub.registry.job.service;

import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.dataset.service.DatasetRef;
import dev.adapterhub.registry.dataset.service.DatasetService;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.JobEndedException;
import dev.adapterhub.registry.error.LeaseLostException;
import dev.adapterhub.registry.job.config.JobsConfig;
import dev.adapterhub.registry.job.dto.ClaimDto;
import dev.adapterhub.registry.job.dto.JobKind;
import dev.adapterhub.registry.job.dto.TransferClaimDto;
import dev.adapterhub.registry.job.dto.TransferJobDto;
import dev.adapterhub.registry.transferkit.service.TransferKitService;
import dev.adapterhub.registry.version.service.SeedExampleService;
import dev.adapterhub.registry.version.service.VersionRef;
import dev.adapterhub.registry.version.service.VersionService;
import dev.adapterhub.registry.job.dto.ClaimRequest;
import dev.adapterhub.registry.job.dto.FailRequest;
import dev.adapterhub.registry.job.dto.HeartbeatDto;
import dev.adapterhub.registry.job.dto.HeartbeatRequest;
import dev.adapterhub.registry.job.dto.StoredFileDto;
import dev.adapterhub.registry.job.entity.JobState;
import dev.adapterhub.registry.job.entity.TrainingJob;
import dev.adapterhub.registry.job.entity.TrainingJobEvent;
import dev.adapterhub.registry.job.repository.TrainingJobRepository;
import dev.adapterhub.registry.storage.FileDownload;
import dev.adapterhub.registry.storage.ObjectStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The worker side of ADR 0005: claim (compare-and-set on state and attempt), heartbeat (renews the lease,
 * carries progress), fail, and re-queueing of attempts whose lease expired. Every method row-locks the job, so
 * a heartbeat, a cancel and the reaper never interleave on one job.
 */
@ApplicationScoped
public class LeaseService {

    static final String TRAINING_PHASE = "training";
    private static final Pattern PHASE = Pattern.compile("[a-z][a-z-]{0,31}");

    static final int MAX_WORKER_ID = 128;
    static final int MAX_MESSAGE = 2000;

    private final TrainingJobRepository jobs;
    private final BaseModelService baseModels;
    private final DatasetService datasets;
    private final ObjectStorage storage;
    private final JobService jobService;
    private final JobEvents events;
    private final JobsConfig config;
    private final VersionService versions;
    private final SeedExampleService seeds;
    private final TransferKitService kits;

    public LeaseService(TrainingJobRepository jobs, BaseModelService baseModels, DatasetService datasets,
                        ObjectStorage storage, JobService jobService, JobEvents events, JobsConfig config,
                        VersionService versions, SeedExampleService seeds, TransferKitService kits) {
        this.versions = versions;
        this.seeds = seeds;
        this.kits = kits;
        this.jobs = jobs;
        this.baseModels = baseModels;
        this.datasets = datasets;
        this.storage = storage;
        this.jobService = jobService;
        this.events = events;
        this.config = config;
    }

    /** Object-storage prefix of a job's checkpoints. */
    public static String checkpointPrefix(UUID jobId) {
        return "training-jobs/" + jobId + "/checkpoints/";
    }

    /**
     * A job whose base model was retired after it was submitted cannot publish a version: the claim ends it FAILED
     * (committed) and answers 409, so no worker spends the work first.
     */
    @Transactional(dontRollbackOn = JobEndedException.class)
    public ClaimDto claim(UUID id, ClaimRequest request) {
        if (request == null || request.workerId() == null || request.workerId().isBlank()
                || request.workerId().length() > MAX_WORKER_ID) {
            throw new InvalidRequestException("workerId is required (at most " + MAX_WORKER_ID + " characters)");
        }
        if (request.attempt() == null || request.attempt() < 1) {
            throw new InvalidRequestException("attempt is required and at least 1");
        }
        TrainingJob job = jobs.lock(id).orElseThrow(() -> JobService.notFound(id));
        if (job.state != JobState.QUEUED || job.attempt != request.attempt()) {
            // A duplicate or stale dispatch record: the worker commits its offset and moves on.
            throw new ConflictException("Job " + id + " attempt " + request.attempt() + " cannot be claimed (state "
                    + job.state + ", current attempt " + job.attempt + ")");
        }
        BaseModelRef base = baseModels.byId(job.baseModelId);
        if (base.retired()) {
            Instant at = now();
            JobState previous = job.state;
            job.state = JobState.FAILED;
            job.failureReason = "Base model " + base.reference() + " was retired before the job ran; it accepts no "
                    + "new versions";
            job.updatedAt = at;
            job.finishedAt = at;
            events.stateChanged(job, previous, "Failed: " + job.failureReason, null);
            throw new JobEndedException("Job " + id + " ended: " + job.failureReason);
        }
        Instant now = now();
        job.state = JobState.VALIDATING;
        job.leaseOwner = request.workerId();
        job.leaseToken = UUID.randomUUID();
        // A new attempt reports its own phases (a resumed transfer skips synthesis).
        job.phase = null;
        job.phaseDone = null;
        job.phaseTotal = null;
        job.leaseExpiresAt = now.plus(config.leaseDuration());
        job.updatedAt = now;
        if (job.startedAt == null) {
            job.startedAt = now;
        }
        String resume = job.lastCheckpointStep == null ? "" : ", resuming from step " + job.lastCheckpointStep;
        events.stateChanged(job, JobState.QUEUED, "Attempt " + job.attempt + " claimed by " + job.leaseOwner
                + resume, null);

        List<StoredFileDto> files = baseModels.storedFiles(job.baseModelId).stream()
                .map(LeaseService::toDto).toList();
        if (job.kind == JobKind.TRANSFER) {
            return new ClaimDto(jobService.toDto(job), job.leaseToken, job.leaseExpiresAt, files, null,
                    transferClaim(job), checkpointPrefix(job.id), job.lastCheckpointStep);
        }
        DatasetRef dataset = datasets.byId(job.datasetId);
        StoredFileDto datasetFile = new StoredFileDto("dataset.jsonl", storage.bucket(), dataset.objectKey(),
                dataset.sizeBytes(), dataset.digest().substring("sha256:".length()));
        return new ClaimDto(jobService.toDto(job), job.leaseToken, job.leaseExpiresAt, files, datasetFile, null,
                checkpointPrefix(job.id), job.lastCheckpointStep);
    }

    /** The source base, the source adapter, and its kit: everything a transfer reads instead of a dataset. */
    private TransferClaimDto transferClaim(TrainingJob job) {
        VersionRef source = versions.byId(job.sourceVersionId);
        return new TransferClaimDto(
                baseModels.storedFiles(source.baseModelId()).stream().map(LeaseService::toDto).toList(),
                versions.storedFiles(source.id()).stream().map(LeaseService::toDto).toList(),
                kits.discriminatorFiles(source.id()).stream().map(LeaseService::toDto).toList(),
                seeds.list(source.id().toString()), evaluationSetFile(jobService.transferSettings(job)));
    }

    /** The evaluation set the job was planned with, unless its bytes were deleted since (then: none). */
    private StoredFileDto evaluationSetFile(TransferJobDto settings) {
        if (settings.evaluationSet() == null) {
            return null;
        }
        DatasetRef set = datasets.require(settings.evaluationSet());
        return set.deleted() ? null : new StoredFileDto("evaluation-set.jsonl", storage.bucket(), set.objectKey(),
                set.sizeBytes(), set.digest().substring("sha256:".length()));
    }

    private static void checkPhase(HeartbeatRequest request) {
        if (request.phase() == null) {
            if (request.phaseDone() != null || request.phaseTotal() != null) {
                throw new InvalidRequestException("phaseDone and phaseTotal come with phase");
            }
            return;
        }
        if (!PHASE.matcher(request.phase()).matches()) {
            throw new InvalidRequestException("phase must be 1 to 32 lowercase letters and hyphens");
        }
        if (request.phaseDone() == null || request.phaseTotal() == null || request.phaseTotal() < 1
                || request.phaseDone() < 0 || request.phaseDone() > request.phaseTotal()) {
            throw new InvalidRequestException("a phase needs phaseTotal >= 1 and phaseDone between 0 and phaseTotal");
        }
    }

    @Transactional
    public HeartbeatDto heartbeat(UUID id, HeartbeatRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        TrainingJob job = requireLease(id, request.leaseToken());
        if (request.step() != null && (request.step() < 0 || request.step() > job.totalSteps)) {
            throw new InvalidRequestException("step must be between 0 and " + job.totalSteps);
        }
        if (request.checkpointStep() != null
                && (request.checkpointStep() < 1 || request.checkpointStep() > job.totalSteps)) {
            throw new InvalidRequestException("checkpointStep must be between 1 and " + job.totalSteps);
        }
        if (request.message() != null && request.message().length() > MAX_MESSAGE) {
            throw new InvalidRequestException("message must be at most " + MAX_MESSAGE + " characters");
        }
        checkPhase(request);
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "loss", request.loss());
        put(metrics, "learningRate", request.learningRate());
        put(metrics, "tokensPerSecond", request.tokensPerSecond());
        put(metrics, "etaSeconds", request.etaSeconds());
        put(metrics, "evalLoss", request.evalLoss());
        put(metrics, "evalExactMatch", request.evalExactMatch());

        Instant now = now();
        job.leaseExpiresAt = now.plus(config.leaseDuration());
        job.updatedAt = now;
        if (Boolean.TRUE.equals(request.running()) && job.state == JobState.VALIDATING) {
            job.state = JobState.RUNNING;
            String what = request.phase() != null ? "Running " + request.phase() : "Training started";
            events.stateChanged(job, JobState.VALIDATING, what + " (attempt " + job.attempt + ")", null);
        }
        if (request.message() != null && !request.message().isBlank()) {
            events.message(job, TrainingJobEvent.Level.INFO, request.message());
        }
        boolean progressed = request.step() != null || !metrics.isEmpty() || request.checkpointStep() != null
                || request.phase() != null;
        if (request.phase() != null) {
            job.phase = request.phase();
            job.phaseDone = request.phaseDone();
            job.phaseTotal = request.phaseTotal();
        }
        if (request.step() != null) {
            job.currentStep = request.step();
            // Training steps are a phase too: a transfer's synthesis is over once they come.
            job.phase = TRAINING_PHASE;
            job.phaseDone = request.step();
            job.phaseTotal = job.totalSteps;
        }
        if (request.loss() != null) {
            job.latestLoss = request.loss();
        }
        if (request.learningRate() != null) {
            job.latestLearningRate = request.learningRate();
        }
        if (request.tokensPerSecond() != null) {
            job.tokensPerSecond = request.tokensPerSecond();
        }
        if (request.etaSeconds() != null) {
            job.etaSeconds = request.etaSeconds();
        }
        if (request.evalLoss() != null) {
            job.latestEvalLoss = request.evalLoss();
        }
        if (request.evalExactMatch() != null) {
            job.latestEvalExactMatch = request.evalExactMatch();
        }
        if (request.checkpointStep() != null
                && (job.lastCheckpointStep == null || request.checkpointStep() > job.lastCheckpointStep)) {
            job.lastCheckpointStep = request.checkpointStep();
        }
        if (progressed) {
            events.progress(job, metrics, request.checkpointStep());
        }
        return new HeartbeatDto(job.state, job.leaseExpiresAt);
    }

    @Transactional
    public void fail(UUID id, FailRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw new InvalidRequestException("reason is required");
        }
        if (request.reason().length() > MAX_MESSAGE) {
            throw new InvalidRequestException("reason must be at most " + MAX_MESSAGE + " characters");
        }
        TrainingJob job = requireLease(id, request.leaseToken());
        endAttempt(job, "attempt " + job.attempt + " failed: " + request.reason(),
                Boolean.TRUE.equals(request.retryable()));
    }

    /**
     * Re-queues (or fails, when no attempts are left) up to one batch of jobs whose lease expired; returns how
     * many it handled.
     */
    @Transactional
    public int reapExpiredLeases() {
        List<TrainingJob> expired = jobs.lockExpiredLeases(Instant.now(), config.reaperBatchSize());
        for (TrainingJob job : expired) {
            endAttempt(job, "attempt " + job.attempt + " lost its lease: worker " + job.leaseOwner
                    + " sent no heartbeat before " + job.leaseExpiresAt, true);
        }
        return expired.size();
    }

    private void endAttempt(TrainingJob job, String reason, boolean retryable) {
        JobState previous = job.state;
        Instant now = now();
        job.leaseOwner = null;
        job.leaseToken = null;
        job.leaseExpiresAt = null;
        job.updatedAt = now;
        if (retryable && job.attempt < job.maxAttempts) {
            job.attempt++;
            job.state = JobState.QUEUED;
            job.failureReason = reason;
            String resume = job.lastCheckpointStep == null ? "from the start"
                    : "from the checkpoint of step " + job.lastCheckpointStep;
            events.stateChanged(job, previous, "Re-queued as attempt " + job.attempt + " of " + job.maxAttempts
                    + " (" + resume + "): " + reason, null);
            events.dispatched(job, baseModels.byId(job.baseModelId),
                    job.datasetId == null ? null : datasets.byId(job.datasetId).digest());
        } else {
            job.state = JobState.FAILED;
            job.failureReason = retryable ? reason + "; no attempts left (" + job.maxAttempts + " of "
                    + job.maxAttempts + " used)" : reason;
            job.finishedAt = now;
            events.stateChanged(job, previous, "Failed: " + job.failureReason, null);
        }
    }

    /** Locks the job and checks that {@code leaseToken} is its current lease; 409 lease-lost otherwise. */
    public TrainingJob requireLease(UUID id, String leaseToken) {
        UUID token;
        try {
            token = leaseToken == null ? null : UUID.fromString(leaseToken);
        } catch (IllegalArgumentException e) {
            token = null;
        }
        if (token == null) {
            throw new InvalidRequestException("leaseToken (the UUID returned by claim) is required");
        }
        TrainingJob job = jobs.lock(id).orElseThrow(() -> JobService.notFound(id));
        if (!job.state.leased() || !token.equals(job.leaseToken)) {
            throw new LeaseLostException("This worker no longer holds job " + id + " (state " + job.state
                    + ", attempt " + job.attempt + "); stop without publishing");
        }
        return job;
    }

    private static void put(Map<String, Double> metrics, String name, Double value) {
        if (value == null) {
            return;
        }
        if (value.isNaN() || value.isInfinite()) {
            throw new InvalidRequestException(name + " must be a finite number");
        }
        metrics.put(name, value);
    }

    private static StoredFileDto toDto(FileDownload file) {
        return new StoredFileDto(file.fileName(), file.bucket(), file.objectKey(), file.sizeBytes(), file.sha256());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
