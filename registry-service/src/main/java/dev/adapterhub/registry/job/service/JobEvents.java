package dev.adapterhub.registry.job.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.events.EventType;
import dev.adapterhub.registry.events.OutboxWriter;
import dev.adapterhub.registry.events.data.TrainingJobDispatched;
import dev.adapterhub.registry.events.data.TrainingJobProgress;
import dev.adapterhub.registry.events.data.TrainingJobStateChanged;
import dev.adapterhub.registry.events.data.TrainingJobTransferGated;
import dev.adapterhub.registry.job.dto.TransferGateDecision;
import dev.adapterhub.registry.job.dto.TransferGateDto;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.job.config.JobsConfig;
import dev.adapterhub.registry.job.entity.JobState;
import dev.adapterhub.registry.job.dto.PhaseDto;
import dev.adapterhub.registry.job.entity.TrainingJob;
import dev.adapterhub.registry.job.entity.TrainingJobEvent;
import dev.adapterhub.registry.job.repository.TrainingJobEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Map;

/**
 * Records what happens to a job twice, in the caller's transaction: a line in the job's event log (served by
 * the events endpoint) and an outbox event for Kafka. One place, so the two never disagree.
 */
@ApplicationScoped
public class JobEvents {

    private final TrainingJobEventRepository log;
    private final OutboxWriter outbox;
    private final JobsConfig config;
    private final ObjectMapper objectMapper;

    public JobEvents(TrainingJobEventRepository log, OutboxWriter outbox, JobsConfig config,
                     ObjectMapper objectMapper) {
        this.log = log;
        this.outbox = outbox;
        this.config = config;
        this.objectMapper = objectMapper;
    }

    /** Announces an attempt on the dispatch topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void dispatched(TrainingJob job, BaseModelRef base, String datasetDigest) {
        outbox.append(config.dispatchTopic(), EventType.TRAINING_JOB_DISPATCHED, job.id,
                new TrainingJobDispatched(job.id, job.attempt, job.kind.name(), job.adapterName, job.method.name(),
                        base.id(), base.name(), base.revision(), datasetDigest, job.sourceVersionId));
    }

    /** The evaluation gate (or a reviewer) decided about a TRANSFER's version: log line + {@code job.transfer-gated}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void transferGated(TrainingJob job, VersionDto version, TransferGateDto gate) {
        String scores = gate.transferredExactMatch() == null ? "" : String.format(java.util.Locale.ROOT,
                " (transferred %.3f, source %.3f, target base %.3f, margin %.3f)", gate.transferredExactMatch(),
                gate.sourceExactMatch(), gate.targetBaseExactMatch(), gate.margin());
        String message = "Gate: " + job.adapterName + "@" + version.version() + " " + gate.decision() + scores
                + (gate.reason() == null ? "" : ": " + gate.reason())
                + (gate.decision().promoted() && !gate.aliases().isEmpty() ? "; moved " + String.join(", ",
                gate.aliases()) : "");
        TrainingJobEvent.Level level = gate.decision() == TransferGateDecision.NEEDS_REVIEW
                ? TrainingJobEvent.Level.WARN : TrainingJobEvent.Level.INFO;
        append(job, level, TrainingJobEvent.Kind.MESSAGE, message, null, gate.decidedAt());
        outbox.append(config.eventsTopic(), EventType.TRAINING_JOB_TRANSFER_GATED, job.id,
                new TrainingJobTransferGated(job.id, job.adapterName, version.id(), version.version(),
                        gate.decision().name(), version.lineage() == null ? null : version.lineage().transferMethod(),
                        gate.sourceExactMatch(), gate.targetBaseExactMatch(), gate.transferredExactMatch(),
                        gate.margin(), gate.aliases(), gate.reason(),
                        gate.decidedBy()));
    }

    /** A state change: log line + {@code job.state-changed}. {@code previous} is null for the first event. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stateChanged(TrainingJob job, JobState previous, String message, Integer version) {
        TrainingJobEvent.Level level = job.state == JobState.FAILED ? TrainingJobEvent.Level.ERROR
                : job.state == JobState.CANCELLED || (previous != null && previous.leased()
                && job.state == JobState.QUEUED) ? TrainingJobEvent.Level.WARN : TrainingJobEvent.Level.INFO;
        append(job, level, TrainingJobEvent.Kind.MESSAGE, message, null, job.updatedAt);
        String reason = job.state == JobState.FAILED || job.state == JobState.CANCELLED
                || job.state == JobState.QUEUED && previous != null ? job.failureReason : null;
        outbox.append(config.eventsTopic(), EventType.TRAINING_JOB_STATE_CHANGED, job.id,
                new TrainingJobStateChanged(job.id, job.adapterName, job.state.name(),
                        previous == null ? null : previous.name(), job.attempt, reason,
                        job.state == JobState.SUCCEEDED ? job.resultVersionId : null, version));
    }

    /** A line in the log only (worker messages, claims). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void message(TrainingJob job, TrainingJobEvent.Level level, String message) {
        append(job, level, TrainingJobEvent.Kind.MESSAGE, message, null, job.updatedAt);
    }

    /** A metrics sample: log line + {@code job.progress}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void progress(TrainingJob job, Map<String, Double> metrics, Integer checkpointStep) {
        double percent = percent(job);
        boolean beforeSteps = job.phase != null && !job.phase.equals(LeaseService.TRAINING_PHASE);
        append(job, TrainingJobEvent.Level.INFO, TrainingJobEvent.Kind.METRICS, beforeSteps
                ? "Phase " + job.phase + ": " + job.phaseDone + "/" + job.phaseTotal
                : "Step " + job.currentStep + "/" + job.totalSteps, metrics, job.updatedAt);
        outbox.append(config.eventsTopic(), EventType.TRAINING_JOB_PROGRESS, job.id,
                new TrainingJobProgress(job.id, job.attempt, job.currentStep, job.totalSteps, percent,
                        metrics.get("loss"), metrics.get("learningRate"), metrics.get("tokensPerSecond"),
                        metrics.get("etaSeconds"), metrics.get("evalLoss"), metrics.get("evalExactMatch"),
                        checkpointStep, job.phase == null || job.phaseDone == null || job.phaseTotal == null ? null
                        : new TrainingJobProgress.Phase(job.phase, job.phaseDone, job.phaseTotal)));
    }

    /** The job's current phase, or null before the worker reported one (and once it ended). */
    public static PhaseDto phase(TrainingJob job) {
        if (job.phase == null || job.phaseDone == null || job.phaseTotal == null || job.state.terminal()) {
            return null;
        }
        return new PhaseDto(job.phase, job.phaseDone, job.phaseTotal,
                job.phaseTotal == 0 ? 0 : Math.min(100.0, 100.0 * job.phaseDone / job.phaseTotal));
    }

    public static double percent(TrainingJob job) {
        return job.totalSteps == 0 ? 0 : Math.min(100.0, 100.0 * job.currentStep / job.totalSteps);
    }

    private void append(TrainingJob job, TrainingJobEvent.Level level, TrainingJobEvent.Kind kind, String message,
                        Map<String, Double> metrics, Instant at) {
        TrainingJobEvent event = new TrainingJobEvent();
        event.jobId = job.id;
        event.createdAt = at;
        event.level = level;
        event.kind = kind;
        event.message = message;
        try {
            event.metrics = metrics == null || metrics.isEmpty() ? null : objectMapper.writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        log.persist(event);
    }
}
