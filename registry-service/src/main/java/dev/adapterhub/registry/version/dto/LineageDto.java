package dev.adapterhub.registry.version.dto;

import dev.adapterhub.registry.adapter.dto.BaseModelRefDto;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where a version came from. */
@Schema(name = "Lineage")
public record LineageDto(
        @Schema(description = "Base model (and revision) the version was validated against") BaseModelRefDto baseModel,
        @Schema(description = "Training job that produced it") String trainingJobId,
        @Schema(description = "Digest of the training data set, e.g. sha256:<hex>") String datasetDigest,
        @Schema(description = "The version of the same adapter this one continues from") VersionRefDto parentVersion,
        @Schema(description = "The version (on another base model) this one was transferred from by Trans-LoRA")
        VersionRefDto transferredFrom,
        @Schema(description = "How many examples trained it (a transfer synthesises as many); null when unknown")
        Integer trainingExamples,
        @Schema(description = "How a transfer job made it: COPY (the source adapter on the new base, same shapes), "
                + "TRANS_LORA (distilled on filtered synthetic inputs) or TRANS_LORA_UNFILTERED (no discriminator)")
        String transferMethod) {
}
