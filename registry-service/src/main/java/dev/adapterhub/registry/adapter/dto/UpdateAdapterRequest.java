package dev.adapterhub.registry.adapter.dto;

import dev.adapterhub.registry.security.Visibility;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Changes an adapter's settings; absent fields stay as they are. */
@Schema(name = "UpdateAdapter")
public record UpdateAdapterRequest(
        @Schema(description = "Team writers may change it") String taskDescription,
        @Schema(description = "Replaces the tags; team writers may change them") List<String> tags,
        @Schema(description = "Team admins only") Visibility visibility,
        @Schema(description = "Replaces the protected aliases; team admins only") List<String> protectedAliases) {
}
