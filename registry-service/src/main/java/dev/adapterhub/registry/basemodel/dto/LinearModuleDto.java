package dev.adapterhub.registry.basemodel.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One adaptable linear layer of a base model. */
@Schema(name = "LinearModule")
public record LinearModuleDto(
        @Schema(examples = "model.layers.0.self_attn.q_proj") String module,
        @Schema(description = "Output features (rows of the weight)") long outFeatures,
        @Schema(description = "Input features (columns of the weight)") long inFeatures) {
}
