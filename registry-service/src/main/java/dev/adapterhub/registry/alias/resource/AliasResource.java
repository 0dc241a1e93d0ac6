package dev.adapterhub.registry.alias.resource;

import dev.adapterhub.registry.alias.dto.AliasDto;
import dev.adapterhub.registry.alias.dto.AliasHistoryDto;
import dev.adapterhub.registry.alias.dto.MoveAliasRequest;
import dev.adapterhub.registry.alias.service.AliasService;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.error.Problem;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/adapters/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Aliases", description = "Movable names such as production and staging, with an audit trail")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such adapter, version or alias",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AliasResource {

    private final AliasService service;

    public AliasResource(AliasService service) {
        this.service = service;
    }

    @GET
    @Path("/aliases")
    @Operation(summary = "List an adapter's aliases")
    public List<AliasDto> list(@PathParam("name") String name) {
        return service.list(name);
    }

    @GET
    @Path("/aliases/{alias}")
    @Operation(summary = "Get an alias")
    public AliasDto get(@PathParam("name") String name, @PathParam("alias") String alias) {
        return service.get(name, alias);
    }

    @PUT
    @Path("/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or move an alias",
            description = "Atomic; with expectedVersion it is a compare-and-set. Team writers move aliases; a "
                    + "protected alias (production by default) moves only by a team admin or the transfer gate. "
                    + "Every attempt, refused ones too, is recorded in the alias history with the caller.")
    @APIResponse(responseCode = "200", description = "Moved (or already pointing there)",
            content = @Content(schema = @Schema(implementation = AliasDto.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = AliasDto.class)))
    @APIResponse(responseCode = "409", description = "expectedVersion does not match, or the target is deprecated",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response move(@PathParam("name") String name, @PathParam("alias") String alias,
                         MoveAliasRequest request) {
        AliasService.MoveResult result = service.move(name, alias, request);
        return Response.status(result.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(result.alias()).build();
    }

    @GET
    @Path("/aliases/{alias}/history")
    @Operation(summary = "Audit trail of one alias, newest first")
    public List<AliasHistoryDto> history(@PathParam("name") String name, @PathParam("alias") String alias) {
        return service.history(name, alias);
    }

    @GET
    @Path("/alias-history")
    @Operation(summary = "Audit trail of every alias of an adapter, newest first")
    public List<AliasHistoryDto> allHistory(@PathParam("name") String name) {
        return service.history(name, null);
    }
}
