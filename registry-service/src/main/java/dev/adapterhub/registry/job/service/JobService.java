package dev.adapterhub.registry.job.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.registry.adapter.dto.BaseModelRefDto;
import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.dataset.service.DatasetRef;
import dev.adapterhub.registry.dataset.service.DatasetService;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.IdempotencyKeyReusedException;
import dev.adapterhub.registry.error.InvalidFieldsException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.job.config.JobsConfig;
import dev.adapterhub.registry.job.dto.DatasetRefDto;
import dev.adapterhub.registry.job.dto.Hyperparameters;
import dev.adapterhub.registry.job.dto.JobDto;
import dev.adapterhub.registry.job.dto.JobEventDto;
import dev.adapterhub.registry.job.dto.JobKind;
import dev.adapterhub.registry.job.dto.ProgressDto;
import dev.adapterhub.registry.job.dto.SubmitJobRequest;
import dev.adapterhub.registry.job.dto.TransferGateDto;
import dev.adapterhub.registry.job.dto.TransferJobDto;
import dev.adapterhub.registry.job.dto.TransferKitSettings;
import dev.adapterhub.registry.job.entity.JobState;
import dev.adapterhub.registry.job.entity.TrainingJob;
import dev.adapterhub.registry.job.entity.TrainingJobEvent;
import dev.adapterhub.registry.job.repository.TrainingJobEventRepository;
import dev.adapterhub.registry.job.repository.TrainingJobRepository;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.security.Scope;
import dev.adapterhub.registry.security.Visibility;
import dev.adapterhub.registry.transferkit.service.TransferKitService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Submitting, reading and cancelling training jobs (the client side of ADR 0005). */
@ApplicationScoped
public class JobService {

    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final int MAX_REASON = 2000;
    static final String IDEMPOTENCY_CONSTRAINT = "training_job_idempotency_uk";

    private final TrainingJobRepository jobs;
    private final TrainingJobEventRepository eventLog;
    private final BaseModelService baseModels;
    private final DatasetService datasets;
    private final AdapterService adapters;
    private final JobEvents events;
    private final JobsConfig config;
    private final TransferJobPlanner transfers;
    private final ObjectMapper objectMapper;
    private final Access access;

    public JobService(TrainingJobRepository jobs, TrainingJobEventRepository eventLog, BaseModelService baseModels,
                      DatasetService datasets, AdapterService adapters, JobEvents events, JobsConfig config,
                      TransferJobPlanner transfers, ObjectMapper objectMapper, Access access) {
        this.access = access;
        this.transfers = transfers;
        this.jobs = jobs;
        this.eventLog = eventLog;
        this.baseModels = baseModels;
        this.datasets = datasets;
        this.adapters = adapters;
        this.events = events;
        this.config = config;
        this.objectMapper = objectMapper;
    }

    /** The job and whether this call created it (false: an idempotent replay). */
    public record Submission(JobDto job, boolean created) {
    }

    /**
     * Submits a job, or returns the first job of an earlier submission with the same idempotency key. Two
     * concurrent submissions with a new key both miss the lookup; the database keeps one (unique index on the
     * key) and the loser runs once more in a new transaction, where it finds the winner's job and answers like a
     * sequential replay.
     */
    public Submission submit(SubmitJobRequest request) {
        String actor = access.actor(request == null ? null : request.actor());
        try {
            return QuarkusTransaction.requiringNew().call(() -> submitOnce(request, actor));
        } catch (RuntimeException e) {
            if (!lostIdempotencyRace(e)) {
                throw e;
            }
            return QuarkusTransaction.requiringNew().call(() -> submitOnce(request, actor));
        }
    }

    private static boolean lostIdempotencyRace(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && IDEMPOTENCY_CONSTRAINT.equalsIgnoreCase(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    private Submission submitOnce(SubmitJobRequest request, String actor) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        JobKind kind = request.kind() == null ? JobKind.TRAINING : request.kind();
        if (kind == JobKind.TRAINING) {
            Names.require("adapterName", request.adapterName(), Names.NAME);
            if (request.method() == null) {
                throw new InvalidRequestException("method is required (LORA, LORA_GA, LORA_SB or SHIRA)");
            }
            if (request.transfer() != null) {
                throw new InvalidRequestException("transfer is for jobs of kind TRANSFER");
            }
        }
        if (request.team() != null) {
            Names.require("team", request.team(), Names.NAME);
        }
        if (request.idempotencyKey() != null && !IDEMPOTENCY_KEY.matcher(request.idempotencyKey()).matches()) {
            throw new InvalidRequestException("idempotencyKey must match " + IDEMPOTENCY_KEY.pattern());
        }
        String fingerprint = fingerprint(request);
        if (request.idempotencyKey() != null) {
            Optional<TrainingJob> previous = jobs.findByIdempotencyKey(request.idempotencyKey());
            if (previous.isPresent()) {
                if (!access.canSee(previous.get().team, Visibility.PRIVATE)) {
                    throw new IdempotencyKeyReusedException("idempotencyKey " + request.idempotencyKey()
                            + " is taken; choose another");
                }
                if (!fingerprint.equals(previous.get().requestFingerprint)) {
                    throw new IdempotencyKeyReusedException("idempotencyKey " + request.idempotencyKey()
                            + " was already used for job " + previous.get().id + " with a different request");
                }
                return new Submission(toDto(previous.get()), false);
            }
        }
        TrainingJob job = kind == JobKind.TRANSFER ? transferJob(request) : trainingJob(request);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.id = UUID.randomUUID();
        job.kind = kind;
        job.state = JobState.QUEUED;
        job.idempotencyKey = request.idempotencyKey();
        job.requestFingerprint = fingerprint;
        job.attempt = 1;
        job.maxAttempts = config.maxAttempts();
        job.createdBy = actor;
        job.createdAt = now;
        job.updatedAt = now;
        jobs.persist(job);
        BaseModelRef base = baseModels.byId(job.baseModelId);
        String dataset = job.datasetId == null ? null : datasets.byId(job.datasetId).digest();
        TransferJobDto transfer = transferSettings(job);
        String what = transfer != null
                ? "transfer of " + transfer.sourceVersion().adapterName() + "@" + transfer.sourceVersion().version()
                + " from " + transfer.sourceBaseModel() + " to " + base.reference() + " (kit " + transfer.kitStatus()
                + "), " + transfer.goal() + " synthetic examples"
                : job.method + " on " + base.reference() + ", " + datasets.byId(job.datasetId).exampleCount()
                + " examples";
        events.stateChanged(job, null, "Job queued by " + actor + ": " + what + ", " + job.totalSteps + " steps",
                null);
        events.dispatched(job, base, dataset);
        return new Submission(toDto(job), true);
    }

    private TrainingJob transferJob(SubmitJobRequest request) {
        TransferJobPlanner.Plan plan = transfers.plan(request, this::hyperparameters);
        HyperparameterResolver.Resolution resolution = HyperparameterResolver.resolve(plan.destination().method(),
                plan.hyperparameters(), plan.settings().goal(), baseModels.linearModuleShapes(plan.target().id()));
        if (!resolution.violations().isEmpty()) {
            throw new InvalidFieldsException("The hyperparameters are invalid", resolution.violations());
        }
        TrainingJob job = new TrainingJob();
        job.adapterName = plan.destination().name();
        job.team = plan.destination().team();
        job.baseModelId = plan.target().id();
        job.sourceVersionId = plan.source().id();
        job.transferSettings = json(plan.settings());
        job.method = plan.destination().method();
        job.transferKitEnabled = plan.settings().taskName() != null;
        job.transferKitTaskName = plan.settings().taskName();
        job.hyperparameters = json(resolution.hyperparameters());
        job.totalSteps = resolution.totalSteps();
        return job;
    }

    private TrainingJob trainingJob(SubmitJobRequest request) {
        TransferKitSettings kit = kitSettings(request);
        BaseModelRef base = baseModels.resolve(request.baseModel());
        if (base.retired()) {
            throw new ConflictException("Base model " + base.reference() + " is retired");
        }
        Optional<AdapterRef> adapter = adapters.find(request.adapterName());
        String team;
        if (adapter.isPresent()) {
            adapters.authorize(adapter.get(), Role.WRITER, "train new versions of it");
            team = adapter.get().team();
        } else {
            team = access.defaultTeam(request.team());
            Names.require("team", team, Names.NAME);
            access.team(team, Role.WRITER, "train adapters for it");
        }
        if (request.team() != null && !request.team().equals(team)) {
            throw new InvalidRequestException("adapter " + request.adapterName() + " belongs to team " + team
                    + ", not " + request.team());
        }
        DatasetRef dataset = datasets.requireStoredFor(request.dataset(), team);
        if (adapter.isPresent()) {
            if (!adapter.get().baseModelId().equals(base.id())) {
                throw new ConflictException("Adapter " + request.adapterName() + " is on another base model");
            }
            if (adapter.get().method() != request.method()) {
                throw new ConflictException("Adapter " + request.adapterName() + " uses method "
                        + adapter.get().method() + ", not " + request.method());
            }
        }
        HyperparameterResolver.Resolution resolution = HyperparameterResolver.resolve(request.method(),
                request.hyperparameters(), dataset.exampleCount(), baseModels.linearModuleShapes(base.id()));
        if (!resolution.violations().isEmpty()) {
            throw new InvalidFieldsException("The hyperparameters are invalid", resolution.violations());
        }

        TrainingJob job = new TrainingJob();
        job.adapterName = request.adapterName();
        job.team = team;
        job.baseModelId = base.id();
        job.datasetId = dataset.id();
        job.method = request.method();
        job.transferKitEnabled = kit.enabled();
        job.transferKitTaskName = kit.taskName();
        job.hyperparameters = json(resolution.hyperparameters());
        job.totalSteps = resolution.totalSteps();
        return job;
    }

    /** A TRANSFER job's gate decision, or null before its version was judged. */
    public TransferGateDto gate(TrainingJob job) {
        if (job.transferGate == null) {
            return null;
        }
        try {
            return objectMapper.readValue(job.transferGate, TransferGateDto.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored transfer gate is corrupt", e);
        }
    }

    /** A TRANSFER job's resolved settings. */
    public TransferJobDto transferSettings(TrainingJob job) {
        if (job.transferSettings == null) {
            return null;
        }
        try {
            return objectMapper.readValue(job.transferSettings, TransferJobDto.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored transfer settings are corrupt", e);
        }
    }

    @Transactional
    public JobDto get(UUID id) {
        return toDto(requireVisible(id));
    }

    /** The jobs of the caller's teams (every job for the platform admin and the services). */
    @Transactional
    public PageDto<JobDto> list(JobKind kind, JobState state, String adapterName, PageRequest page) {
        String adapter = adapterName == null || adapterName.isBlank() ? null : adapterName;
        Set<String> teams = access.visibleTeams();
        List<JobDto> items = jobs.search(kind, state, adapter, teams, page.offset(), page.size()).stream()
                .map(this::toDto).toList();
        return new PageDto<>(items, page.page(), page.size(), jobs.count(kind, state, adapter, teams));
    }

    /** Team writers cancel their jobs; the transfer service cancels transfers. */
    @Transactional
    public JobDto cancel(UUID id, String reason, String onBehalfOf) {
        if (reason != null && reason.length() > MAX_REASON) {
            throw new InvalidRequestException("reason must be at most " + MAX_REASON + " characters");
        }
        TrainingJob visible = requireVisible(id);
        if (!(visible.kind == JobKind.TRANSFER && access.hasService(Scope.TRANSFERS))) {
            access.team(visible.team, Role.WRITER, "cancel its jobs");
        }
        String actor = access.actor(onBehalfOf);
        TrainingJob job = jobs.lock(id).orElseThrow(() -> notFound(id));
        if (job.state.terminal()) {
            throw new ConflictException("Job " + id + " already ended " + job.state);
        }
        JobState previous = job.state;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.state = JobState.CANCELLED;
        job.failureReason = reason == null || reason.isBlank() ? "cancelled by " + actor : reason;
        // Revoking the lease is how the worker learns of it: its next heartbeat is refused.
        job.leaseOwner = null;
        job.leaseToken = null;
        job.leaseExpiresAt = null;
        job.updatedAt = now;
        job.finishedAt = now;
        events.stateChanged(job, previous, "Cancelled by " + actor + ": " + job.failureReason, null);
        return toDto(job);
    }

    @Transactional
    public List<JobEventDto> events(UUID id, Long after, Integer limit) {
        requireVisible(id);
        int max = config.maxEventsPerPage();
        int size = limit == null ? max : limit;
        if (size < 1 || size > max) {
            throw new InvalidRequestException("limit must be between 1 and " + max);
        }
        if (after != null && after < 0) {
            throw new InvalidRequestException("after must be at least 0");
        }
        return eventLog.after(id, after == null ? 0 : after, size).stream().map(this::toDto).toList();
    }

    @Transactional
    public ProgressDto progress(UUID id) {
        TrainingJob job = requireVisible(id);
        return new ProgressDto(job.state, job.attempt, job.currentStep, job.totalSteps, JobEvents.percent(job),
                job.state.terminal() ? null : job.etaSeconds, job.latestLoss, job.latestLearningRate,
                job.tokensPerSecond, job.latestEvalLoss, job.latestEvalExactMatch, job.lastCheckpointStep,
                JobEvents.phase(job), job.updatedAt);
    }

    public TrainingJob require(UUID id) {
        return jobs.findByIdOptional(id).orElseThrow(() -> notFound(id));
    }

    /** The team a job belongs to, whoever asks (for routing its events); empty when there is no such job. */
    @Transactional
    public Optional<String> teamOf(UUID id) {
        return jobs.findByIdOptional(id).map(job -> job.team);
    }

    /** A job of one of the caller's teams; others answer 404 like a job that does not exist. */
    public TrainingJob requireVisible(UUID id) {
        TrainingJob job = require(id);
        if (!access.canSee(job.team, Visibility.PRIVATE)) {
            throw notFound(id);
        }
        return job;
    }

    /** Team admins review their transfers' gates; so does the transfer service. */
    public void authorizeReview(TrainingJob job) {
        if (!access.hasService(Scope.TRANSFERS)) {
            access.team(job.team, Role.ADMIN, "review its transfers");
        }
    }

    static ResourceNotFoundException notFound(UUID id) {
        return new ResourceNotFoundException("Training job " + id + " does not exist");
    }

    public JobDto toDto(TrainingJob job) {
        BaseModelRef base = baseModels.byId(job.baseModelId);
        DatasetRef dataset = job.datasetId == null ? null : datasets.byId(job.datasetId);
        return new JobDto(job.id, job.kind, job.adapterName, job.team,
                new BaseModelRefDto(base.id(), base.name(), base.revision()),
                dataset == null ? null : new DatasetRefDto(dataset.id(), dataset.digest(), dataset.exampleCount()),
                job.method, hyperparameters(job), job.totalSteps,
                new TransferKitSettings(job.transferKitEnabled, job.transferKitTaskName), transferSettings(job),
                gate(job), job.state, job.currentStep, JobEvents.percent(job), JobEvents.phase(job),
                job.state.terminal() ? null : job.etaSeconds, job.failureReason, job.attempt, job.maxAttempts,
                job.idempotencyKey, job.resultVersionId, job.createdBy, job.createdAt, job.updatedAt,
                job.startedAt, job.finishedAt);
    }

    public Hyperparameters hyperparameters(TrainingJob job) {
        try {
            return objectMapper.readValue(job.hyperparameters, Hyperparameters.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored hyperparameters are corrupt", e);
        }
    }

    private JobEventDto toDto(TrainingJobEvent event) {
        Map<String, Double> metrics = null;
        if (event.metrics != null) {
            try {
                metrics = objectMapper.readValue(event.metrics, new TypeReference<Map<String, Double>>() {
                });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored metrics are corrupt", e);
            }
        }
        return new JobEventDto(event.seq, event.createdAt, event.level.name(), event.kind.name(), event.message,
                metrics);
    }

    /** The request's kit settings with the defaults filled in (a kit, named after the adapter). */
    private static TransferKitSettings kitSettings(SubmitJobRequest request) {
        TransferKitSettings asked = request.transferKit();
        boolean enabled = asked == null || asked.enabled() == null || asked.enabled();
        String taskName = asked == null || asked.taskName() == null ? request.adapterName() : asked.taskName().strip();
        if (asked != null && asked.taskName() != null && !enabled) {
            throw new InvalidRequestException("transferKit.taskName has no use when transferKit.enabled is false");
        }
        if (enabled && !TransferKitService.TASK_NAME.matcher(taskName).matches()) {
            throw new InvalidRequestException("transferKit.taskName must match " + TransferKitService.TASK_NAME.pattern()
                    + " (it goes into the discriminator's prompt)");
        }
        return new TransferKitSettings(enabled, enabled ? taskName : null);
    }

    /** Everything that defines the job (the actor does not), so a replay can be told from a reused key. */
    private String fingerprint(SubmitJobRequest request) {
        SubmitJobRequest canonical = new SubmitJobRequest(request.kind() == null ? JobKind.TRAINING : request.kind(),
                request.baseModel(), request.dataset(), request.method(), request.hyperparameters(),
                request.adapterName(), request.team(), request.transferKit(), request.transfer(),
                request.idempotencyKey(), null);
        return Sha256.hex(json(canonical).getBytes(StandardCharsets.UTF_8));
    }

    private String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
