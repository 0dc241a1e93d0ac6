package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A training job (schema {@code TrainingJob}).
 *
 * @param method          LORA, LORA_GA, LORA_SB or SHIRA
 * @param state           QUEUED, VALIDATING, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param resultVersionId the published version, once SUCCEEDED
 */
public record Job(UUID id, String kind, String adapterName, String team, BaseModelRef baseModel, DatasetRef dataset,
                  String method, Hyperparameters hyperparameters, int totalSteps, TransferKitSettings transferKit,
                  Transfer transfer, Gate gate, String state, int currentStep, double percent, Phase phase,
                  Double etaSeconds,
                  String failureReason, int attempt, int maxAttempts, String resultVersionId,
                  Instant createdAt, Instant updatedAt) {

    /**
     * What a running job is doing and how far along (schema {@code JobPhase}).
     *
     * @param name synthesis (a transfer's inputs, before its first step), training, or another phase
     */
    public record Phase(String name, int done, int total, double percent) {
    }

    /**
     * What a TRANSFER job moves (schema {@code TransferJob}).
     *
     * @param sourceBaseModel name@revision of the source's base
     * @param sameShapes      the target base has the source base's linear-module shapes (the copy rung applies)
     * @param kitStatus       COMPLETE, SEEDS_ONLY or NONE
     */
    public record Transfer(AdapterVersion.VersionRef sourceVersion, String sourceBaseModel, int goal,
                           boolean copyFirst, boolean sameShapes, String kitStatus, String taskName,
                           List<String> promoteAliases, double gateMargin, String evaluationSet) {
    }

    /**
     * A finished TRANSFER's evaluation gate (schema {@code TransferGate}).
     *
     * @param decision PROMOTED, NEEDS_REVIEW, PROMOTED_BY_REVIEW or REJECTED
     */
    public record Gate(String decision, Double sourceExactMatch, Double targetBaseExactMatch,
                       Double transferredExactMatch, double margin, String evaluationSet, List<String> aliases,
                       String reason, String decidedBy, Instant decidedAt) {
    }

    /** True for a job that moves a version to another base model rather than training on a dataset. */
    public boolean isTransfer() {
        return "TRANSFER".equals(kind);
    }

    /** Whether the job leaves a transfer kit, and the task name its discriminator is asked about. */
    public record TransferKitSettings(boolean enabled, String taskName) {
    }

    /** True unless the job opted out of the transfer kit (a registry that predates kits sends none). */
    public boolean makesTransferKit() {
        return transferKit == null || transferKit.enabled();
    }

    /** The dataset of a job. */
    public record DatasetRef(String id, String digest, int exampleCount) {
    }
}
