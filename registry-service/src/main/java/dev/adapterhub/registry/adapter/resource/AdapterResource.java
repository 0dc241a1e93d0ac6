package dev.adapterhub.registry.adapter.resource;

import dev.adapterhub.registry.adapter.dto.AdapterDto;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.dto.CreateAdapterRequest;
import dev.adapterhub.registry.adapter.dto.UpdateAdapterRequest;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.common.Enums;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.Problem;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/adapters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Adapters", description = "Named adapters, their owners and base models")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid credential",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not allowed for this caller",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AdapterResource {

    private final AdapterService service;
    private final RegistryConfig config;

    public AdapterResource(AdapterService service, RegistryConfig config) {
        this.service = service;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an adapter")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = AdapterDto.class)))
    @APIResponse(responseCode = "404", description = "Unknown base model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Name taken, or the base model is retired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(CreateAdapterRequest request) {
        AdapterDto created = service.create(request);
        return Response.created(URI.create("/api/v1/adapters/" + created.name())).entity(created).build();
    }

    @GET
    @Operation(summary = "Search adapters",
            description = "Every given filter must match. Ordered by name; pages are 0-based.")
    public PageDto<AdapterDto> search(
            @Parameter(description = "Base model: name (any revision), name@revision or id")
            @QueryParam("baseModel") String baseModel,
            @Parameter(description = "LORA, LORA_GA, LORA_SB or SHIRA") @QueryParam("method") String method,
            @QueryParam("team") String team,
            @QueryParam("tag") String tag,
            @Parameter(description = "Only adapters having an alias with this name, e.g. production")
            @QueryParam("alias") String alias,
            @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return service.search(baseModel, Enums.parse(AdapterMethod.class, method, "method"), team, tag, alias,
                PageRequest.of(page, size, config.limits().maxPageSize()));
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get an adapter")
    @APIResponse(responseCode = "404", description = "No such adapter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AdapterDto get(@PathParam("name") String name) {
        return service.get(name);
    }

    @PATCH
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an adapter's settings",
            description = "Description and tags: team writers. Visibility and protected aliases: team admins.")
    @APIResponse(responseCode = "404", description = "No such adapter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AdapterDto update(@PathParam("name") String name, UpdateAdapterRequest request) {
        return service.update(name, request);
    }
}
