package dev.adapterhub.registry.basemodel.dto;

import dev.adapterhub.registry.basemodel.entity.BaseModelStatus;
import dev.adapterhub.registry.basemodel.entity.StorageMode;
import dev.adapterhub.registry.validation.ShapesSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered base model revision. */
@Schema(name = "BaseModel")
public record BaseModelDto(
        UUID id,
        String name,
        String revision,
        @Schema(description = "Architecture family (config.json model_type)", examples = "llama") String architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int vocabSize,
        BaseModelStatus status,
        @Schema(description = "Set when status is SUPERSEDED") UUID supersededById,
        StorageMode storageMode,
        @Schema(description = "For REFERENCED models: the s3:// URI of the checkpoint prefix") String sourceUri,
        @Schema(description = "Where the linear layer shapes came from") ShapesSource shapesSource,
        @Schema(description = "Number of linear layers adapters may target") int linearModuleCount,
        Instant registeredAt,
        Instant statusChangedAt,
        List<FileDto> files) {
}
