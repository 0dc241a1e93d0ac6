package dev.adapterhub.registry.job.dto;

import dev.adapterhub.registry.version.dto.SeedExampleDto;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What a worker needs, besides the target base, to run a TRANSFER attempt. */
@Schema(name = "TransferClaim")
public record TransferClaimDto(
        @Schema(description = "Files of the source version's base model") List<StoredFileDto> sourceBaseModelFiles,
        @Schema(description = "The source adapter's PEFT files") List<StoredFileDto> sourceAdapterFiles,
        @Schema(description = "The kit's discriminator files; empty unless the kit is COMPLETE")
        List<StoredFileDto> discriminatorFiles,
        @Schema(description = "The kit's seed examples, in order") List<SeedExampleDto> seedExamples,
        @Schema(description = "The registered evaluation set to score on (JSONL); null: none, or deleted since the "
                + "job was submitted") StoredFileDto evaluationSetFile) {
}
