package dev.adapterhub.registry.adapter.dto;

import dev.adapterhub.registry.security.Visibility;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Creates an adapter (no weights yet; upload versions next). */
@Schema(name = "CreateAdapter")
public record CreateAdapterRequest(
        @Schema(required = true, description = "Unique adapter name", examples = "support-summarizer") String name,
        @Schema(description = "Owning team; the caller must be one of its writers. Defaults to the caller's only team",
                examples = "search-quality") String team,
        @Schema(required = true, description = "Base model: id, name (newest ACTIVE revision) or name@revision",
                examples = "tinyllama@v1.0") String baseModel,
        @Schema(required = true) AdapterMethod method,
        @Schema(description = "What the adapter is for") String taskDescription,
        @Schema(description = "Free-form lower-case tags") List<String> tags,
        @Schema(description = "PRIVATE (default: only the team sees it) or INTERNAL (every caller may read and serve "
                + "it)") Visibility visibility,
        @Schema(description = "Aliases only a team admin or the transfer gate moves; default: the registry's "
                + "configured list (production)") List<String> protectedAliases) {
}
