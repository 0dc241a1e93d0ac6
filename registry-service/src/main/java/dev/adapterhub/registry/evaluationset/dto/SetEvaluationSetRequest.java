package dev.adapterhub.registry.evaluationset.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Registers a dataset as an adapter's evaluation set. */
@Schema(name = "SetEvaluationSet")
public record SetEvaluationSetRequest(
        @Schema(required = true, description = "A dataset uploaded to /api/v1/datasets: sha256:<hex> digest or id")
        String dataset,
        @Schema(description = "Only for the platform's service accounts: the person they act for") String actor) {
}
