package dev.adapterhub.registry.transferkit.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** What a later Trans-LoRA transfer of a version has to work with, once its training data may be gone. */
@Schema(name = "TransferKit")
public record TransferKitDto(
        UUID versionId,
        @Schema(description = "name@version") String version,
        TransferKitStatus status,
        @Schema(description = "Why the kit is not COMPLETE; null when it is") String reason,
        @Schema(description = "The training job opted out of the kit") boolean optedOut,
        @Schema(description = "The NAME in the discriminator's prompt") String taskName,
        @Schema(description = "Seed examples kept with the version (GET …/seed-examples)") int seedExamples,
        @Schema(description = "Null unless status is COMPLETE") DiscriminatorDto discriminator,
        @Schema(description = "When the training job handed the kit in; null for uploaded versions")
        Instant createdAt) {
}
