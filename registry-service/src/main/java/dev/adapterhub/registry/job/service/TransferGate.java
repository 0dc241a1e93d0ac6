package dev.adapterhub.registry.job.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.alias.dto.AliasDto;
import dev.adapterhub.registry.alias.service.AliasService;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.job.dto.JobDto;
import dev.adapterhub.registry.job.dto.JobKind;
import dev.adapterhub.registry.job.dto.TransferGateDecision;
import dev.adapterhub.registry.job.dto.TransferGateDto;
import dev.adapterhub.registry.job.dto.TransferJobDto;
import dev.adapterhub.registry.job.entity.TrainingJob;
import dev.adapterhub.registry.job.repository.TrainingJobRepository;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.version.dto.MetricInput;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.service.VersionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The evaluation gate of a TRANSFER job (issue 10, ADR 11): the transferred version takes over its source's
 * aliases automatically only when, on the transfer's evaluation set, it scores at least the source adapter minus
 * the margin and more than the target base alone; otherwise it waits in NEEDS_REVIEW for a person to promote or
 * reject it. Alias moves go through {@link AliasService}, so they are audited and announced like any other.
 */
@ApplicationScoped
public class TransferGate {

    /** The metrics a transfer reports (training-worker's EngineTransfer). */
    static final String SOURCE = "transfer_source_exact_match";
    static final String TARGET_BASE = "transfer_target_base_exact_match";
    static final String TRANSFERRED = "eval_exact_match";

    private final TrainingJobRepository jobs;
    private final JobService jobService;
    private final AliasService aliases;
    private final AdapterService adapters;
    private final VersionService versions;
    private final JobEvents events;
    private final ObjectMapper objectMapper;
    private final Access access;

    public TransferGate(TrainingJobRepository jobs, JobService jobService, AliasService aliases,
                        AdapterService adapters, VersionService versions, JobEvents events, ObjectMapper objectMapper,
            Access access) {
        this.access = access;
        this.jobs = jobs;
        this.jobService = jobService;
        this.aliases = aliases;
        this.adapters = adapters;
        this.versions = versions;
        this.events = events;
        this.objectMapper = objectMapper;
    }

    /** Decides about the version a TRANSFER job has just published. Runs in the completion's transaction. */
    public void decide(TrainingJob job, VersionDto version, List<MetricInput> metrics) {
        TransferJobDto settings = jobService.transferSettings(job);
        Map<String, MetricInput> byName = metrics.stream()
                .collect(Collectors.toMap(MetricInput::name, m -> m, (a, b) -> b));
        Double source = value(byName, SOURCE);
        Double targetBase = value(byName, TARGET_BASE);
        Double transferred = value(byName, TRANSFERRED);
        String set = byName.containsKey(TRANSFERRED) ? byName.get(TRANSFERRED).split() : null;
        double margin = settings.gateMargin();
        String reason;
        if (source == null || targetBase == null || transferred == null) {
            reason = "the worker reported no " + SOURCE + ", " + TARGET_BASE + " or " + TRANSFERRED
                    + " score to compare";
        } else if (transferred < source - margin) {
            reason = String.format(Locale.ROOT, "scored %.3f, below the source's %.3f minus the margin %.3f",
                    transferred, source, margin);
        } else if (!(transferred > targetBase)) {
            reason = String.format(Locale.ROOT, "scored %.3f, not above the target base alone (%.3f)", transferred,
                    targetBase);
        } else {
            reason = movedMeanwhile(job, settings).or(() -> sourceDeprecated(settings)).orElse(null);
        }
        TransferGateDecision decision = reason == null ? TransferGateDecision.PROMOTED
                : TransferGateDecision.NEEDS_REVIEW;
        if (decision == TransferGateDecision.PROMOTED) {
            promote(job, settings, version.version(), "transfer-gate:" + job.id);
        }
        record(job, version, new TransferGateDto(decision, source, targetBase, transferred, margin, set,
                settings.promoteAliases(), reason, "transfer-gate", now()));
    }

    @Transactional
    public JobDto promote(UUID jobId, String note, String onBehalfOf) {
        String actor = access.actor(onBehalfOf);
        TrainingJob job = awaitingReview(jobId, note);
        TransferGateDto gate = jobService.gate(job);
        VersionDto version = versions.get(job.resultVersionId.toString());
        promote(job, jobService.transferSettings(job), version.version(), actor);
        record(job, version, new TransferGateDto(TransferGateDecision.PROMOTED_BY_REVIEW, gate.sourceExactMatch(),
                gate.targetBaseExactMatch(), gate.transferredExactMatch(), gate.margin(), gate.evaluationSet(),
                gate.aliases(), note, actor, now()));
        return jobService.toDto(job);
    }

    @Transactional
    public JobDto reject(UUID jobId, String note, String onBehalfOf) {
        String actor = access.actor(onBehalfOf);
        TrainingJob job = awaitingReview(jobId, note);
        TransferGateDto gate = jobService.gate(job);
        VersionDto version = versions.get(job.resultVersionId.toString());
        record(job, version, new TransferGateDto(TransferGateDecision.REJECTED, gate.sourceExactMatch(),
                gate.targetBaseExactMatch(), gate.transferredExactMatch(), gate.margin(), gate.evaluationSet(),
                gate.aliases(), note, actor, now()));
        return jobService.toDto(job);
    }

    private TrainingJob awaitingReview(UUID jobId, String note) {
        if (note != null && note.length() > JobService.MAX_REASON) {
            throw new InvalidRequestException("note must be at most " + JobService.MAX_REASON + " characters");
        }
        jobService.authorizeReview(jobService.requireVisible(jobId));
        TrainingJob job = jobs.lock(jobId).orElseThrow(() -> JobService.notFound(jobId));
        if (job.kind != JobKind.TRANSFER) {
            throw new ConflictException("Job " + jobId + " is a training job; only transfers are reviewed");
        }
        TransferGateDto gate = jobService.gate(job);
        if (gate == null || gate.decision() != TransferGateDecision.NEEDS_REVIEW) {
            throw new ConflictException("Job " + jobId + " does not await a review (gate: "
                    + (gate == null ? "not decided yet" : gate.decision()) + ")");
        }
        return job;
    }

    /** An alias the gate should move that no longer points at the source: a person decides then. */
    private Optional<String> movedMeanwhile(TrainingJob job, TransferJobDto settings) {
        if (!settings.sourceVersion().adapterName().equals(job.adapterName)) {
            return Optional.empty(); // into another adapter: its aliases never pointed at the source
        }
        AdapterRef adapter = adapters.lock(adapters.require(job.adapterName).id());
        Map<String, Integer> current = aliases.list(adapter.name()).stream()
                .collect(Collectors.toMap(AliasDto::alias, AliasDto::version));
        int sourceVersion = settings.sourceVersion().version();
        for (String alias : settings.promoteAliases()) {
            Integer now = current.get(alias);
            if (now != null && now != sourceVersion) {
                return Optional.of("alias " + alias + " moved to version " + now + " after the transfer of version "
                        + sourceVersion + " was planned");
            }
        }
        return Optional.empty();
    }

    /**
     * A source deprecated during the transfer (or before it) is a signal that its owners are retiring it: moving
     * aliases onto its successor is then a person's call, not the gate's.
     */
    private Optional<String> sourceDeprecated(TransferJobDto settings) {
        VersionDto source = versions.get(settings.sourceVersion().id().toString());
        if (source.deprecatedAt() == null) {
            return Optional.empty();
        }
        return Optional.of("the source version " + source.version() + " was deprecated"
                + (source.deprecationReason() == null ? "" : " (" + source.deprecationReason() + ")"));
    }

    private void promote(TrainingJob job, TransferJobDto settings, int version, String actor) {
        for (String alias : settings.promoteAliases()) {
            aliases.moveByGate(job.adapterName, alias, version, actor);
        }
        if (!settings.promoteAliases().isEmpty()) {
            adapters.moveToBase(adapters.require(job.adapterName).id(), job.baseModelId);
        }
    }

    private void record(TrainingJob job, VersionDto version, TransferGateDto gate) {
        try {
            job.transferGate = objectMapper.writeValueAsString(gate);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        job.updatedAt = gate.decidedAt();
        events.transferGated(job, version, gate);
    }

    private static Double value(Map<String, MetricInput> byName, String name) {
        MetricInput metric = byName.get(name);
        return metric == null ? null : metric.value();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
