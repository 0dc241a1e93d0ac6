package dev.adapterhub.registry.version.resource;

import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.service.VersionReads;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/resolve")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Adapter versions")
public class ResolveResource {

    private final VersionReads versions;

    public ResolveResource(VersionReads versions) {
        this.versions = versions;
    }

    @GET
    @Path("/{ref}")
    @Operation(summary = "Resolve a version reference",
            description = "Accepts name@<number>, name@<alias>, name@latest, a bare name (= latest) or a version id.")
    @APIResponse(responseCode = "200", description = "The version",
            content = @Content(schema = @Schema(implementation = VersionDto.class)))
    @APIResponse(responseCode = "404", description = "Nothing matches",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VersionDto resolve(@Parameter(description = "e.g. support-summarizer@production") @PathParam("ref") String ref) {
        return versions.get(ref);
    }
}
