package dev.adapterhub.registry.evaluationset.resource;

import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.evaluationset.dto.EvaluationSetDto;
import dev.adapterhub.registry.evaluationset.dto.SetEvaluationSetRequest;
import dev.adapterhub.registry.evaluationset.service.EvaluationSetService;
import dev.adapterhub.registry.security.Access;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/adapters/{name}/evaluation-set")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation sets", description = "The labelled data a team keeps to evaluate an adapter; transfers are "
        + "gated on it")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such adapter, dataset or evaluation set",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class EvaluationSetResource {

    private final EvaluationSetService service;
    private final Access access;

    public EvaluationSetResource(EvaluationSetService service, Access access) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(summary = "Get an adapter's evaluation set")
    public EvaluationSetDto get(@PathParam("name") String name) {
        return service.get(name);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register (or replace) an adapter's evaluation set",
            description = "Names an uploaded dataset (POST /api/v1/datasets) as the adapter's evaluation set. "
                    + "Transfers planned from then on compare the source, the target base and the transferred "
                    + "version on it; without one they use the seeds and a held-out slice of the synthetic set. "
                    + "The dataset cannot be deleted while it is registered.")
    @APIResponse(responseCode = "200", description = "Registered",
            content = @Content(schema = @Schema(implementation = EvaluationSetDto.class)))
    @APIResponse(responseCode = "409", description = "The dataset was deleted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EvaluationSetDto set(@PathParam("name") String name, SetEvaluationSetRequest request) {
        return service.set(name, request, access.actor(request == null ? null : request.actor()));
    }

    @DELETE
    @Operation(summary = "Remove an adapter's evaluation set", description = "The dataset itself stays.")
    @APIResponse(responseCode = "204", description = "Removed")
    public void remove(@PathParam("name") String name) {
        service.remove(name);
    }
}
