package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A prompt/completion pair from the training data. */
@Schema(name = "SeedExampleInput")
public record SeedExampleInput(@Schema(required = true) String prompt, @Schema(required = true) String completion) {
}
