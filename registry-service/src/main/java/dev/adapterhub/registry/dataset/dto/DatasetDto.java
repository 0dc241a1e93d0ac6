package dev.adapterhub.registry.dataset.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A training dataset; jobs name it by {@code digest} (or id). A deleted one keeps its record, not its bytes. */
@Schema(name = "Dataset")
public record DatasetDto(
        UUID id,
        @Schema(description = "sha256:<hex> of the JSONL bytes", examples = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        String digest,
        long sizeBytes,
        @Schema(description = "Number of prompt/completion lines") int exampleCount,
        String fileName,
        @Schema(description = "The teams that uploaded these bytes and may train on them (only the caller's are "
                + "listed, unless it sees every team)") List<String> teams,
        String createdBy,
        Instant createdAt,
        @Schema(description = "When its bytes were deleted; null while it is stored") Instant deletedAt,
        String deletedBy,
        String deletionReason) {
}
