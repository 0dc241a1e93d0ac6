package dev.adapterhub.transfer.api;

import dev.adapterhub.registry.client.model.Job;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A transfer as this service shows it: the registry's TRANSFER job, in transfer terms. */
@Schema(name = "Transfer")
public record TransferDto(
        @Schema(description = "The TRANSFER job's id in the registry") UUID id,
        String adapter,
        @Schema(description = "name@version being moved") String sourceVersion,
        @Schema(description = "Its base, name@revision") String sourceBaseModel,
        @Schema(description = "The base it moves to, name@revision") String targetBaseModel,
        @Schema(description = "QUEUED, VALIDATING, RUNNING, SUCCEEDED, FAILED or CANCELLED") String state,
        @Schema(description = "Training steps done / all, · 100 (synthesis comes before the first step)")
        double percent,
        @Schema(description = "Estimated seconds left while it runs") Double etaSeconds,
        @Schema(description = "What it is doing now: synthesis (inputs kept of the goal) or training (steps)")
        String phase,
        @Schema(description = "How far along that phase is, 0-100") Double phasePercent,
        @Schema(description = "The source's transfer kit: COMPLETE, SEEDS_ONLY or NONE") String kitStatus,
        @Schema(description = "Synthetic examples to distil on") int goal,
        @Schema(description = "Aliases that move to the result when it passes the gate") List<String> promoteAliases,
        @Schema(description = "The gate's decision once the version is published: PROMOTED, NEEDS_REVIEW, "
                + "PROMOTED_BY_REVIEW or REJECTED") String gateDecision,
        @Schema(description = "Why the gate wants a review, or the reviewer's note") String gateReason,
        Double sourceExactMatch,
        Double targetBaseExactMatch,
        Double transferredExactMatch,
        @Schema(description = "The adapter's registered evaluation set (sha256 digest) when planned; null: none")
        String evaluationSet,
        @Schema(description = "What the gate's scores were measured on: registered-evaluation-set or "
                + "seeds-and-synthetic-holdout") String evaluatedOn,
        @Schema(description = "The published version's id, once SUCCEEDED") String resultVersionId,
        String failureReason,
        int attempt,
        Instant createdAt,
        Instant updatedAt) {

    public static TransferDto of(Job job) {
        Job.Transfer t = job.transfer();
        Job.Gate gate = job.gate();
        return new TransferDto(job.id(), job.adapterName(),
                t == null ? null : t.sourceVersion().adapterName() + "@" + t.sourceVersion().version(),
                t == null ? null : t.sourceBaseModel(), job.baseModel().name() + "@" + job.baseModel().revision(),
                job.state(), job.percent(), job.etaSeconds(), job.phase() == null ? null : job.phase().name(),
                job.phase() == null ? null : job.phase().percent(), t == null ? null : t.kitStatus(),
                t == null ? 0 : t.goal(),
                t == null ? List.of() : t.promoteAliases(), gate == null ? null : gate.decision(),
                gate == null ? null : gate.reason(), gate == null ? null : gate.sourceExactMatch(),
                gate == null ? null : gate.targetBaseExactMatch(), gate == null ? null : gate.transferredExactMatch(),
                t == null ? null : t.evaluationSet(), gate == null ? null : gate.evaluationSet(),
                job.resultVersionId(), job.failureReason(), job.attempt(), job.createdAt(),
                job.updatedAt());
    }
}
