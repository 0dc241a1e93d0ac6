package dev.adapterhub.registry.basemodel.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Registers a checkpoint that already lives in object storage. */
@Schema(name = "RegisterBaseModelByUri")
public record RegisterByUriRequest(
        @Schema(required = true, examples = "tinyllama") String name,
        @Schema(required = true, examples = "v1.0") String revision,
        @Schema(required = true, description = "s3://<bucket>/<prefix>/ holding config.json, tokenizer.json and the weights",
                examples = "s3://models/tinyllama/v1.0/") String sourceUri) {
}
