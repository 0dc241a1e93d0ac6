package dev.adapterhub.registry.job.dto;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.dto.BaseModelRefDto;
import dev.adapterhub.registry.job.entity.JobState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A training job as clients see it. */
@Schema(name = "TrainingJob")
public record JobDto(
        UUID id,
        JobKind kind,
        String adapterName,
        String team,
        BaseModelRefDto baseModel,
        @Schema(description = "Null for a TRANSFER") DatasetRefDto dataset,
        AdapterMethod method,
        @Schema(description = "Resolved hyperparameters, defaults filled in") Hyperparameters hyperparameters,
        int totalSteps,
        @Schema(description = "The transfer kit the job leaves with its version") TransferKitSettings transferKit,
        @Schema(description = "What a TRANSFER moves; null for TRAINING") TransferJobDto transfer,
        @Schema(description = "A finished TRANSFER's gate decision and comparison; null otherwise") TransferGateDto gate,
        JobState state,
        @Schema(description = "Steps done (the full progress: GET …/progress)") int currentStep,
        @Schema(description = "currentStep / totalSteps · 100") double percent,
        @Schema(description = "What the job is doing now (e.g. a transfer's synthesis before its first step) and "
                + "how far along") PhaseDto phase,
        @Schema(description = "Estimated seconds left while it runs; null otherwise") Double etaSeconds,
        @Schema(description = "Why the job failed or was cancelled") String failureReason,
        int attempt,
        int maxAttempts,
        String idempotencyKey,
        @Schema(description = "The published version, once SUCCEEDED") UUID resultVersionId,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt) {
}
