package dev.adapterhub.registry.job.entity;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.job.dto.JobKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A training job: what to train, its state, the current attempt's lease and the latest progress. */
@Entity
@Table(name = "training_job")
public class TrainingJob {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobKind kind;

    /** A TRANSFER's source version; null for TRAINING. */
    @Column(name = "source_version_id")
    public UUID sourceVersionId;

    /** A TRANSFER's resolved settings, JSON of {@code TransferJobDto} without the source reference. */
    @Column(name = "transfer_settings")
    public String transferSettings;

    /** A finished TRANSFER's gate decision, JSON of {@code TransferGateDto}. */
    @Column(name = "transfer_gate")
    public String transferGate;

    @Column(name = "adapter_name", nullable = false)
    public String adapterName;

    /** Owning team of the adapter when the job creates it; null when the adapter already exists. */
    @Column
    public String team;

    @Column(name = "base_model_id", nullable = false)
    public UUID baseModelId;

    /** Null for a TRANSFER. */
    @Column(name = "dataset_id")
    public UUID datasetId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AdapterMethod method;

    /** False when the job opted out of the transfer kit. */
    @Column(name = "transfer_kit_enabled", nullable = false)
    public boolean transferKitEnabled;

    /** The NAME of the kit's discriminator prompt. */
    @Column(name = "transfer_kit_task_name")
    public String transferKitTaskName;

    /** JSON of the resolved {@code Hyperparameters}. */
    @Column(nullable = false)
    public String hyperparameters;

    @Column(name = "total_steps", nullable = false)
    public int totalSteps;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobState state;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "request_fingerprint")
    public String requestFingerprint;

    /** 1-based; incremented each time the job is re-queued. */
    @Column(nullable = false)
    public int attempt;

    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_token")
    public UUID leaseToken;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "current_step", nullable = false)
    public int currentStep;

    @Column(name = "latest_loss")
    public Double latestLoss;

    @Column(name = "latest_learning_rate")
    public Double latestLearningRate;

    @Column(name = "tokens_per_second")
    public Double tokensPerSecond;

    @Column(name = "eta_seconds")
    public Double etaSeconds;

    @Column(name = "latest_eval_loss")
    public Double latestEvalLoss;

    @Column(name = "latest_eval_exact_match")
    public Double latestEvalExactMatch;

    @Column(name = "last_checkpoint_step")
    public Integer lastCheckpointStep;

    @Column(name = "result_version_id")
    public UUID resultVersionId;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The phase the worker last reported (synthesis, training…); null before any. */
    @Column(name = "phase")
    public String phase;

    @Column(name = "phase_done")
    public Integer phaseDone;

    @Column(name = "phase_total")
    public Integer phaseTotal;
}
