package dev.adapterhub.registry.evaluationset.dto;

import dev.adapterhub.registry.dataset.dto.DatasetDto;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An adapter's registered evaluation set. */
@Schema(name = "EvaluationSet")
public record EvaluationSetDto(
        String adapterName,
        @Schema(description = "The dataset (prompt/completion JSONL) the adapter is evaluated on") DatasetDto dataset,
        String setBy,
        Instant setAt) {
}
