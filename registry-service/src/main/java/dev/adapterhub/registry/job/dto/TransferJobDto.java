package dev.adapterhub.registry.job.dto;

import dev.adapterhub.registry.version.dto.VersionRefDto;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A TRANSFER job's resolved settings, fixed when it was submitted. */
@Schema(name = "TransferJob")
public record TransferJobDto(
        @Schema(description = "The version being moved") VersionRefDto sourceVersion,
        @Schema(description = "Its base model, name@revision") String sourceBaseModel,
        @Schema(description = "Synthetic examples to distil on") int goal,
        @Schema(description = "Whether the copy rung is tried first") boolean copyFirst,
        @Schema(description = "The target has the source base's linear-module shapes (the copy rung applies)")
        boolean sameShapes,
        @Schema(description = "The source's transfer kit when submitted: COMPLETE, SEEDS_ONLY or NONE")
        String kitStatus,
        @Schema(description = "The NAME of the kit's discriminator prompt; null without a kit") String taskName,
        @Schema(description = "Aliases the gate moves to the result when it passes") List<String> promoteAliases,
        @Schema(description = "How far below the source the result may score and still pass") double gateMargin,
        @Schema(description = "The adapter's registered evaluation set when the job was submitted (sha256 digest), "
                + "which the three scores are measured on; null: the seeds plus a held-out slice of the synthetic "
                + "set labelled by the teacher") String evaluationSet) {
}
