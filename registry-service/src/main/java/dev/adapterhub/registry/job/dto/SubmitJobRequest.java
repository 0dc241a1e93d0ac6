package dev.adapterhub.registry.job.dto;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Submits a job whose result is a new version of {@code adapterName}. */
@Schema(name = "SubmitTrainingJob")
public record SubmitJobRequest(
        @Schema(description = "TRAINING (default) or TRANSFER") JobKind kind,
        @Schema(required = true, description = "Base model: id, name (newest ACTIVE revision) or name@revision; for "
                + "a TRANSFER the base the version moves to", examples = "tinyllama@v1.0") String baseModel,
        @Schema(description = "TRAINING only (required there): dataset digest (sha256:<hex>) or id, from "
                + "POST /api/v1/datasets") String dataset,
        @Schema(description = "Required for TRAINING. A TRANSFER trains the source adapter's method by default; "
                + "another one (LoRA to SHiRA, LoRA to LORA_GA's initialisation) lands in another adapter, named "
                + "in adapterName")
        AdapterMethod method,
        @Schema(description = "Optional; an unknown field is rejected (400) rather than ignored")
        @JsonDeserialize(using = StrictHyperparametersDeserializer.class) Hyperparameters hyperparameters,
        @Schema(description = "Adapter the version is published to; created on success when it does not exist (then "
                + "team is required), else it must have the same base model and method. Required for TRAINING; a "
                + "TRANSFER publishes to the source's adapter by default, or to this one (created in the source's "
                + "team), which must be another adapter when the method differs") String adapterName,
        @Schema(description = "Owning team of a new adapter (the caller must be one of its writers); defaults to the "
                + "caller's only team") String team,
        @Schema(description = "The transfer kit kept with the version for a later Trans-LoRA transfer; made unless "
                + "enabled is false") TransferKitSettings transferKit,
        @Schema(description = "TRANSFER only (required there): what to move") TransferJobRequest transfer,
        @Schema(description = "Resubmitting with the same key returns the first job instead of a new one")
        String idempotencyKey,
        @Schema(description = "Only for the platform's service accounts: the person they act for. Everyone else is "
                + "recorded as the authenticated caller") String actor) {
}
