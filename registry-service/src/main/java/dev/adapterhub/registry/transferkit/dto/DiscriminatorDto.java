package dev.adapterhub.registry.transferkit.dto;

import dev.adapterhub.registry.version.dto.VersionFileDto;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The kit's discriminator: a PEFT LoRA on the version's base model, and how well it told real from generated. */
@Schema(name = "TransferKitDiscriminator")
public record DiscriminatorDto(
        @Schema(description = "adapter_config.json and adapter_model.safetensors") List<VersionFileDto> files,
        @Schema(description = "Real task inputs it was trained and measured on") int realInputs,
        @Schema(description = "Inputs the source base generated from the seed prompt") int generatedInputs,
        @Schema(description = "Share of held-out real inputs it called real") double accuracyOnReal,
        @Schema(description = "Share of held-out generated inputs it called generated") double accuracyOnGenerated) {
}
