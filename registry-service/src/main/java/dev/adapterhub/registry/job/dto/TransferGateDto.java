package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** What the evaluation gate (or a reviewer) decided about a TRANSFER job's version, with the comparison. */
@Schema(name = "TransferGate")
public record TransferGateDto(
        @Schema(description = "PROMOTED, NEEDS_REVIEW, PROMOTED_BY_REVIEW or REJECTED") TransferGateDecision decision,
        @Schema(description = "The source adapter on its base, on the transfer's evaluation set") Double sourceExactMatch,
        @Schema(description = "The target base alone, on the same set") Double targetBaseExactMatch,
        @Schema(description = "The transferred version, on the same set") Double transferredExactMatch,
        @Schema(description = "How far below the source it may score and still pass") double margin,
        @Schema(description = "Which evaluation set the scores are on") String evaluationSet,
        @Schema(description = "Aliases moved to the version, or that a promotion moves") List<String> aliases,
        @Schema(description = "Why a review is needed, or the reviewer's note") String reason,
        @Schema(description = "The gate (transfer-gate) or the reviewer") String decidedBy,
        Instant decidedAt) {
}
