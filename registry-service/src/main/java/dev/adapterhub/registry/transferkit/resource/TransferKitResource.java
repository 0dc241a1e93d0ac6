package dev.adapterhub.registry.transferkit.resource;

import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.storage.Downloads;
import dev.adapterhub.registry.storage.PresignedUrl;
import dev.adapterhub.registry.transferkit.dto.TransferKitDto;
import dev.adapterhub.registry.transferkit.service.TransferKitService;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/adapters/{name}/versions/{selector}/transfer-kit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Adapter versions")
@APIResponse(responseCode = "404", description = "No such adapter, version, alias or file",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TransferKitResource {

    private static final String SELECTOR = "Version number, alias (e.g. production) or latest";

    private final TransferKitService kits;
    private final AdapterService adapters;
    private final Downloads downloads;

    public TransferKitResource(TransferKitService kits, Downloads downloads, AdapterService adapters) {
        this.adapters = adapters;
        this.kits = kits;
        this.downloads = downloads;
    }

    @GET
    @Operation(summary = "Get a version's transfer kit",
            description = "What Trans-LoRA can use to move the version to another base model once its training data "
                    + "is gone: COMPLETE (seed examples, task name and discriminator), SEEDS_ONLY, or NONE (only "
                    + "the copy rung). Every version answers; the reason says what is missing.")
    public TransferKitDto get(@PathParam("name") String name,
                              @Parameter(description = SELECTOR) @PathParam("selector") String selector) {
        adapters.requireAccess(name, Role.READER, "read it");
        return kits.get(name + "@" + selector);
    }

    @GET
    @Path("/files/{fileName}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @Operation(summary = "Download a file of the kit's discriminator (streamed)")
    @APIResponse(responseCode = "200", description = "The file's bytes; ETag is the file's sha256",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response download(@PathParam("name") String name,
                             @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                             @PathParam("fileName") String fileName) {
        adapters.requireAccess(name, Role.READER, "read it");
        return downloads.stream(kits.file(name + "@" + selector, fileName));
    }

    @GET
    @Path("/files/{fileName}/presigned-url")
    @Operation(summary = "Get a presigned object-storage URL for a file of the kit's discriminator")
    public PresignedUrl presignedUrl(@PathParam("name") String name,
                                     @Parameter(description = SELECTOR) @PathParam("selector") String selector,
                                     @PathParam("fileName") String fileName) {
        adapters.requireAccess(name, Role.READER, "read it");
        return downloads.presign(kits.file(name + "@" + selector, fileName));
    }
}
