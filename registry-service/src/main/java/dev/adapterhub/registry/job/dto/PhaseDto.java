package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a running job is doing and how far along that is. */
@Schema(name = "JobPhase")
public record PhaseDto(
        @Schema(description = "synthesis (a transfer writing and labelling inputs), training, or another phase the "
                + "worker names", examples = "synthesis") String name,
        @Schema(description = "Units done: inputs kept for synthesis, steps for training") int done,
        @Schema(description = "Units in the phase") int total,
        @Schema(description = "done / total · 100") double percent) {
}
