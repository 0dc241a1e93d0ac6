package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a worker needs to run the claimed attempt. */
@Schema(name = "TrainingJobClaim")
public record ClaimDto(
        JobDto job,
        @Schema(description = "Send it with every heartbeat, fail and complete") UUID leaseToken,
        Instant leaseExpiresAt,
        @Schema(description = "Base model files in object storage") List<StoredFileDto> baseModelFiles,
        @Schema(description = "The dataset in object storage; null for a TRANSFER") StoredFileDto datasetFile,
        @Schema(description = "A TRANSFER's inputs; null for TRAINING") TransferClaimDto transfer,
        @Schema(description = "Object-storage prefix for this job's checkpoints (step-NNNNNN/ below it)")
        String checkpointPrefix,
        @Schema(description = "Resume from checkpointPrefix + step-<n>/ when present") Integer resumeFromStep) {
}
