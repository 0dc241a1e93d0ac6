package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A worker asks for the job of a dispatch record. */
@Schema(name = "ClaimTrainingJob")
public record ClaimRequest(
        @Schema(required = true, description = "Stable id of the worker process, e.g. host + pid") String workerId,
        @Schema(required = true, description = "The attempt named by the dispatch record") Integer attempt) {
}
