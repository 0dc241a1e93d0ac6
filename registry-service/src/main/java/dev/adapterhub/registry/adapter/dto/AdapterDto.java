package dev.adapterhub.registry.adapter.dto;

import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.registry.security.Visibility;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An adapter with its newest version number and its aliases. */
@Schema(name = "Adapter")
public record AdapterDto(
        UUID id,
        String name,
        String team,
        AdapterMethod method,
        @Schema(description = "peft_type every version carries") PeftType peftType,
        BaseModelRefDto baseModel,
        String taskDescription,
        List<String> tags,
        @Schema(description = "Highest version number, absent before the first upload") Integer latestVersion,
        @Schema(description = "Alias name to version number") Map<String, Integer> aliases,
        @Schema(description = "PRIVATE: only its team sees it; INTERNAL: every caller may read and serve it")
        Visibility visibility,
        @Schema(description = "Aliases only a team admin or the transfer gate moves") List<String> protectedAliases,
        String createdBy,
        Instant createdAt) {
}
