package dev.adapterhub.registry.basemodel.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Marks a base model revision as superseded by another one. */
@Schema(name = "SupersedeBaseModel")
public record SupersedeRequest(
        @Schema(required = true, description = "The replacing base model: id, name (latest active) or name@revision")
        String supersededBy) {
}
