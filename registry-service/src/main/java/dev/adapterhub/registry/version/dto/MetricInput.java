package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One evaluation result to record. */
@Schema(name = "MetricInput")
public record MetricInput(
        @Schema(required = true, examples = "eval_loss") String name,
        @Schema(required = true) Double value,
        @Schema(examples = "validation") String split,
        @Schema(description = "Training step the value was measured at") Long step) {
}
