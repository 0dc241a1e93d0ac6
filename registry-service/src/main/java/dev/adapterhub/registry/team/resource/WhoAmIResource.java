package dev.adapterhub.registry.team.resource;

import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Principal;
import dev.adapterhub.registry.security.Scope;
import dev.adapterhub.registry.team.dto.WhoAmIDto;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Teams")
public class WhoAmIResource {

    private final Access access;

    public WhoAmIResource(Access access) {
        this.access = access;
    }

    @GET
    @Operation(summary = "The caller as the registry sees it",
            description = "Name, teams and roles, scopes. The gateway and the transfer service verify their callers' "
                    + "credentials with it.")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(schema = @Schema(implementation = WhoAmIDto.class)))
    @APIResponse(responseCode = "401", description = "No valid credential",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WhoAmIDto whoami() {
        Principal caller = access.caller();
        return new WhoAmIDto(caller.name(), caller.kind().name(), caller.platformAdmin(), caller.teams(),
                caller.scopes().stream().map(Scope::value).sorted().toList(), caller.adapters());
    }
}
