package dev.adapterhub.transfer.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Move some adapters to another base: name them, or name a team. */
@Schema(name = "PlanTransfers")
public record PlanRequest(
        @Schema(required = true, description = "The base to move to: id, name (newest ACTIVE revision) or "
                + "name@revision", examples = "tiny-llama@v2") String targetBaseModel,
        @Schema(description = "Adapters to move (their served versions on their current base)") List<String> adapters,
        @Schema(description = "Or every adapter of this team") String team,
        @Schema(description = "Synthetic examples per transfer; default: each source's training-set size") Integer goal,
        @Schema(description = "Try the copy rung first where the shapes match; default true") Boolean copyFirst,
        @Schema(description = "How far below its source a transfer may score and still pass the gate; default: the "
                + "registry's adapterhub.jobs.transfer-gate-margin") Double gateMargin,
        @Schema(description = "Repeating a request with the same key returns the same transfers") String idempotencyKey) {
}
