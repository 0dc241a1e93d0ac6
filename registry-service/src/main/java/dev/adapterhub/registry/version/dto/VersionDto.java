package dev.adapterhub.registry.version.dto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.version.entity.VersionStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An immutable adapter version. */
@Schema(name = "AdapterVersion")
public record VersionDto(
        UUID id,
        UUID adapterId,
        String adapterName,
        @Schema(description = "1-based, per adapter") int version,
        @Schema(description = "sha256:<hex> of the sha256sum-style manifest of the files, in file name order")
        String digest,
        VersionStatus status,
        AdapterMethod method,
        PeftType peftType,
        @Schema(description = "LoRA rank, or SHiRA's r (K = r·(in + out) per layer)") int rank,
        @Schema(description = "target_modules as written in adapter_config.json") JsonNode targetModules,
        List<VersionFileDto> files,
        LineageDto lineage,
        @Schema(description = "Aliases currently pointing at this version") List<String> aliases,
        String createdBy,
        Instant createdAt,
        Instant deprecatedAt,
        String deprecationReason) {
}
