package dev.adapterhub.registry.basemodel.resource;

import dev.adapterhub.registry.basemodel.dto.BaseModelDto;
import dev.adapterhub.registry.basemodel.dto.BaseModelUploadForm;
import dev.adapterhub.registry.basemodel.dto.LinearModuleDto;
import dev.adapterhub.registry.basemodel.dto.RegisterByUriRequest;
import dev.adapterhub.registry.basemodel.dto.SupersedeRequest;
import dev.adapterhub.registry.basemodel.entity.BaseModelStatus;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.common.Enums;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.common.Uploads;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.storage.Downloads;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import java.util.List;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/base-models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Base models", description = "Base model checkpoints adapters are trained on")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class BaseModelResource {

    private static final String REF = "id, name (newest ACTIVE revision) or name@revision";

    private final BaseModelService service;
    private final Downloads downloads;
    private final RegistryConfig config;
    private final Access access;

    public BaseModelResource(BaseModelService service, Downloads downloads, RegistryConfig config, Access access) {
        this.access = access;
        this.service = service;
        this.downloads = downloads;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Register a base model by uploading its checkpoint",
            description = "Files are staged, validated (config.json parses as a Llama-family config, safetensors "
                    + "headers are well-formed and match the config, tokenizer.json is JSON, no pickle files), "
                    + "then stored content-addressed. Linear layer shapes are read from the safetensors headers.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(schema = @Schema(implementation = BaseModelDto.class)))
    @APIResponse(responseCode = "409", description = "name@revision already exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The checkpoint is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response registerUploaded(BaseModelUploadForm form) {
        access.platformAdmin("register base models");
        BaseModelDto created = service.registerUploaded(form.name, form.revision, Uploads.byFileName(form.files));
        return Response.created(URI.create("/api/v1/base-models/" + created.id())).entity(created).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a base model already in object storage",
            description = "Reads config.json and the safetensors headers under the s3:// URI; nothing is copied. "
                    + "Without weights under the URI, linear layer shapes are derived from config.json.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(schema = @Schema(implementation = BaseModelDto.class)))
    @APIResponse(responseCode = "409", description = "name@revision already exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The referenced checkpoint is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response registerReferenced(RegisterByUriRequest request) {
        access.platformAdmin("register base models");
        BaseModelDto created = service.registerReferenced(request);
        return Response.created(URI.create("/api/v1/base-models/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List base models", description = "Ordered by name, then registration time.")
    public PageDto<BaseModelDto> list(@QueryParam("name") String name,
                                      @Parameter(description = "ACTIVE, SUPERSEDED or RETIRED") @QueryParam("status") String status,
                                      @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        access.caller();
        return service.list(name, Enums.parse(BaseModelStatus.class, status, "status"), PageRequest.of(page, size, config.limits().maxPageSize()));
    }

    @GET
    @Path("/{ref}")
    @Operation(summary = "Get a base model")
    @APIResponse(responseCode = "404", description = "No such base model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BaseModelDto get(@Parameter(description = REF) @PathParam("ref") String ref) {
        access.caller();
        return service.get(ref);
    }

    @GET
    @Path("/{ref}/linear-modules")
    @Operation(summary = "List the linear layers adapters may target, with their [out, in] shapes")
    @APIResponse(responseCode = "404", description = "No such base model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<LinearModuleDto> linearModules(@Parameter(description = REF) @PathParam("ref") String ref) {
        access.caller();
        return service.linearModules(ref);
    }

    @GET
    @Path("/{ref}/files/{fileName}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(summary = "Download one checkpoint file (streamed)")
    @APIResponse(responseCode = "200", description = "The file's bytes",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            format = "binary")))
    @APIResponse(responseCode = "404", description = "No such base model or file",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response download(@Parameter(description = REF) @PathParam("ref") String ref,
                             @PathParam("fileName") String fileName) {
        access.caller();
        return downloads.stream(service.file(ref, fileName));
    }

    @POST
    @Path("/{ref}/supersede")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a base model as superseded by another",
            description = "Emits base-model.superseded, which drives Trans-LoRA transfers of its adapters.")
    @APIResponse(responseCode = "200", description = "Superseded",
            content = @Content(schema = @Schema(implementation = BaseModelDto.class)))
    @APIResponse(responseCode = "404", description = "No such base model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not ACTIVE, or the replacement is not ACTIVE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BaseModelDto supersede(@Parameter(description = REF) @PathParam("ref") String ref,
                                  SupersedeRequest request) {
        access.platformAdmin("supersede base models");
        return service.supersede(ref, request == null ? null : request.supersededBy());
    }

    @POST
    @Path("/{ref}/retire")
    @Operation(summary = "Retire a base model", description = "Retired bases accept no new adapters or versions.")
    @APIResponse(responseCode = "200", description = "Retired",
            content = @Content(schema = @Schema(implementation = BaseModelDto.class)))
    @APIResponse(responseCode = "404", description = "No such base model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already retired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BaseModelDto retire(@Parameter(description = REF) @PathParam("ref") String ref) {
        access.platformAdmin("retire base models");
        return service.retire(ref);
    }
}
