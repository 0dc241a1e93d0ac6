package dev.adapterhub.registry.version.resource;

import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.common.Uploads;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.storage.Downloads;
import dev.adapterhub.registry.storage.PresignedUrl;
import dev.adapterhub.registry.version.dto.DeprecateRequest;
import dev.adapterhub.registry.version.dto.LineageDto;
import dev.adapterhub.registry.version.dto.MetricDto;
import dev.adapterhub.registry.version.dto.MetricInput;
import dev.adapterhub.registry.version.dto.SeedExampleDto;
import dev.adapterhub.registry.version.dto.SeedExampleInput;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.dto.VersionUploadForm;
import dev.adapterhub.registry.version.service.MetricService;
import dev.adapterhub.registry.version.service.SeedExampleService;
import dev.adapterhub.registry.version.service.UploadLineage;
import dev.adapterhub.registry.version.service.VersionReads;
import dev.adapterhub.registry.version.service.VersionService;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/adapters/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Adapter versions", description = "Immutable, validated adapter weights with lineage, metrics and seeds")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such adapter, version, alias or file",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class VersionResource {

    private static final String SELECTOR = "Version number, alias (e.g. production) or latest";

    private final VersionService versions;
    private final MetricService metrics;
    private final SeedExampleService seeds;
    private final Downloads downloads;
    private final RegistryConfig config;
    private final AdapterService adapters;
    private final Access access;
    private final VersionReads reads;

    public VersionResource(VersionService versions, MetricService metrics, SeedExampleService seeds,
                           Downloads downloads, RegistryConfig config, AdapterService adapters,
                           Access access, VersionReads reads) {
        this.reads = reads;
        this.adapters = adapters;
        this.access = access;
        this.versions = versions;
        this.metrics = metrics;
        this.seeds = seeds;
        this.downloads = downloads;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a new version",
            description = "Files are staged, validated against the adapter's method and base model (config parses, "
                    + "header well-formed and bounded, tensor names/dtypes/shapes match the base, rank / SHiRA K, "
                    + "target modules exist, peft_type matches the method, no pickle), then committed. Versions are "
                    + "numbered 1, 2, 3 per adapter.")
    @APIResponse(responseCode = "201", description = "Published",
            content = @Content(schema = @Schema(implementation = VersionDto.class)))
    @APIResponse(responseCode = "409", description = "The base model is retired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The adapter files are invalid (every violation is listed)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(@PathParam("name") String name, VersionUploadForm form) {
        adapters.requireAccess(name, Role.WRITER, "upload versions");
        VersionDto created = versions.upload(name, Uploads.byFileName(form.files),
                UploadLineage.ofClient(blankToNull(form.parentVersion), blankToNull(form.trainingJobId),
                        blankToNull(form.datasetDigest), blankToNull(form.transferredFromVersion),
                        Uploads.positiveCount("trainingExamples", form.trainingExamples)),
                access.actor());
        return Response.created(URI.create("/api/v1/adapters/" + created.adapterName() + "/versions/"
                + created.version())).entity(created).build();
    }

    @GET
    @Operation(summary = "List versions", description = "Newest first; pages are 0-based.")
    public PageDto<VersionDto> list(@PathParam("name") String name, @QueryParam("page") Integer page,
                                    @QueryParam("size") Integer size) {
        adapters.requireAccess(name, Role.READER, "read it");
        return versions.list(name, PageRequest.of(page, size, config.limits().maxPageSize()));
    }

    @GET
    @Path("/{selector}")
    @Operation(summary = "Get a version")
    public VersionDto get(@PathParam("name") String name,
                          @Parameter(description = SELECTOR) @PathParam("selector") String selector) {
        return reads.get(ref(name, selector));
    }

    @GET
    @Path("/{selector}/files/{fileName}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(summary = "Download a file of a version (streamed)")
    @APIResponse(responseCode = "200", description = "The file's bytes; ETag is the file's sha256",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response download(@PathParam("name") String name,
                             @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                             @PathParam("fileName") String fileName) {
        adapters.requireAccess(name, Role.READER, "read it");
        return downloads.stream(versions.file(ref(name, selector), fileName));
    }

    @GET
    @Path("/{selector}/files/{fileName}/presigned-url")
    @Operation(summary = "Get a presigned object-storage URL for a file of a version")
    public PresignedUrl presignedUrl(@PathParam("name") String name,
                                     @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                                     @PathParam("fileName") String fileName) {
        adapters.requireAccess(name, Role.READER, "read it");
        return downloads.presign(versions.file(ref(name, selector), fileName));
    }

    @POST
    @Path("/{selector}/deprecate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deprecate a version",
            description = "The version stays downloadable; aliases can no longer move to it. Refused while an alias "
                    + "points at it.")
    @APIResponse(responseCode = "200", description = "Deprecated",
            content = @Content(schema = @Schema(implementation = VersionDto.class)))
    @APIResponse(responseCode = "409", description = "Already deprecated, or an alias points at it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VersionDto deprecate(@PathParam("name") String name,
                                @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                                DeprecateRequest request) {
        adapters.requireAccess(name, Role.ADMIN, "deprecate versions");
        DeprecateRequest body = request == null ? new DeprecateRequest(null, null) : request;
        return versions.deprecate(ref(name, selector), body.reason(), access.actor(body.actor()));
    }

    @GET
    @Path("/{selector}/lineage")
    @Operation(summary = "Get a version's lineage")
    public LineageDto lineage(@PathParam("name") String name,
                              @Parameter(description = SELECTOR) @PathParam("selector") String selector) {
        adapters.requireAccess(name, Role.READER, "read it");
        return versions.lineage(ref(name, selector));
    }

    @GET
    @Path("/{selector}/metrics")
    @Operation(summary = "List a version's evaluation results")
    public List<MetricDto> metrics(@PathParam("name") String name,
                                   @Parameter(description = SELECTOR) @PathParam("selector") String selector) {
        adapters.requireAccess(name, Role.READER, "read it");
        return metrics.list(ref(name, selector));
    }

    @POST
    @Path("/{selector}/metrics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record evaluation results", description = "Returns every metric of the version.")
    public List<MetricDto> addMetrics(@PathParam("name") String name,
                                      @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                                      List<MetricInput> input) {
        adapters.requireAccess(name, Role.WRITER, "record metrics");
        return metrics.add(ref(name, selector), input);
    }

    @GET
    @Path("/{selector}/seed-examples")
    @Operation(summary = "List a version's seed examples")
    public List<SeedExampleDto> seedExamples(@PathParam("name") String name,
                                             @Parameter(description = SELECTOR) @PathParam("selector") String selector) {
        adapters.requireAccess(name, Role.READER, "read it");
        return seeds.list(ref(name, selector));
    }

    @POST
    @Path("/{selector}/seed-examples")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Attach seed examples",
            description = "Appends prompt/completion pairs; the count and size per version are bounded.")
    @APIResponse(responseCode = "409", description = "The version already holds the maximum number of examples",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<SeedExampleDto> addSeedExamples(@PathParam("name") String name,
                                                @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                                                List<SeedExampleInput> input) {
        adapters.requireAccess(name, Role.WRITER, "attach seed examples");
        return seeds.add(ref(name, selector), input);
    }

    private static String ref(String name, String selector) {
        return name + "@" + selector;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
