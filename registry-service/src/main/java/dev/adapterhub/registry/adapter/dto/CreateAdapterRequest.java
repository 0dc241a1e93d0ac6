package dev.adapterhub.registry.adapter.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Creates an adapter (no weights yet; upload versions next). */
@Schema(name = "CreateAdapter")
public record CreateAdapterRequest(
        @Schema(required = true, description = "Unique adapter name", examples = "support-summarizer") String name,
        @Schema(required = true, description = "Owning team", examples = "search-quality") String team,
        @Schema(required = true, description = "Base model: id, name (newest ACTIVE revision) or name@revision",
                examples = "tinyllama@v1.0") String baseModel,
        @Schema(required = true) AdapterMethod method,
        @Schema(description = "What the adapter is for") String taskDescription,
        @Schema(description = "Free-form lower-case tags") List<String> tags,
        @Schema(description = "Who creates it; defaults to the X-Actor header, else anonymous") String actor) {
}
