package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What a TRANSFER job moves; the target base is the request's baseModel. */
@Schema(name = "TransferJobRequest")
public record TransferJobRequest(
        @Schema(required = true, description = "The version to move: name@version, name@alias or a version id",
                examples = "numbers-to-words@production") String sourceVersion,
        @Schema(description = "Synthetic examples to distil on; default: the source's training-set size (lineage), "
                + "else adapterhub.jobs.transfer-goal") Integer goal,
        @Schema(description = "Try the copy rung first when the target has the source base's shapes. Default true")
        Boolean copyFirst,
        @Schema(description = "Aliases the gate moves to the transferred version when it passes; default: the "
                + "aliases on the source version when the job is submitted") List<String> promoteAliases,
        @Schema(description = "The gate passes when the transferred version scores at least the source minus this "
                + "and more than the target base alone; default adapterhub.jobs.transfer-gate-margin")
        Double gateMargin) {
}
