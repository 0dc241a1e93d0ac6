package dev.adapterhub.registry.transferkit.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a worker reports about the discriminator it hands in with a completed job (the files travel as parts
 * named {@code kitFile}); or, with no files, why it made none.
 */
@Schema(name = "TransferKitInput")
public record TransferKitInput(
        Integer realInputs,
        Integer generatedInputs,
        Double accuracyOnReal,
        Double accuracyOnGenerated,
        @Schema(description = "Why no discriminator was made (then no kitFile parts are sent)")
        String missingReason) {
}
