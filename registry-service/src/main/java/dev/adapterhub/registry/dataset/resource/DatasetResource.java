package dev.adapterhub.registry.dataset.resource;

import dev.adapterhub.registry.common.Uploads;
import dev.adapterhub.registry.dataset.dto.DatasetDto;
import dev.adapterhub.registry.dataset.dto.DatasetUploadForm;
import dev.adapterhub.registry.dataset.service.DatasetService;
import dev.adapterhub.registry.error.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datasets", description = "Prompt/completion JSONL training data, content-addressed")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class DatasetResource {

    private final DatasetService service;

    public DatasetResource(DatasetService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a training dataset",
            description = "Validates every line, stores the file at its SHA-256 and returns its digest, for the team "
                    + "named (a writer's). The same bytes uploaded again return the existing dataset (200); by "
                    + "another team, that team is added to its holders (201).")
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(schema = @Schema(implementation = DatasetDto.class)))
    @APIResponse(responseCode = "200", description = "Already stored under this digest",
            content = @Content(schema = @Schema(implementation = DatasetDto.class)))
    @APIResponse(responseCode = "422", description = "Not a prompt/completion JSONL file; violations name the lines",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(DatasetUploadForm form) {
        String fileName = form.file == null || form.file.fileName() == null ? null
                : Uploads.fileName(form.file.fileName());
        DatasetService.Upload upload = service.upload(form.file == null ? null : form.file.uploadedFile(), fileName,
                form.team);
        if (!upload.created()) {
            return Response.ok(upload.dataset()).build();
        }
        return Response.created(URI.create("/api/v1/datasets/" + upload.dataset().digest()))
                .entity(upload.dataset()).build();
    }

    @GET
    @Path("/{ref}")
    @Operation(summary = "Get a dataset by digest (sha256:<hex>) or id")
    @APIResponse(responseCode = "404", description = "No such dataset",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetDto get(@PathParam("ref") String ref) {
        return service.get(ref);
    }

    @DELETE
    @Path("/{ref}")
    @Operation(summary = "Delete a dataset's bytes",
            description = "For data that must go: the file is removed from object storage, the record stays (with "
                    + "deletedAt), so versions trained on it still name its digest in their lineage. Refused while a "
                    + "training job that has not ended will read it, or an adapter keeps it as its evaluation set. "
                    + "Deleting it again retries the removal; uploading the same bytes again stores them again.")
    @APIResponse(responseCode = "200", description = "Deleted",
            content = @Content(schema = @Schema(implementation = DatasetDto.class)))
    @APIResponse(responseCode = "404", description = "No such dataset",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A job or an evaluation set still uses it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetDto delete(@PathParam("ref") String ref,
                             @Parameter(description = "Why; kept with the record") @QueryParam("reason") String reason) {
        return service.delete(ref, reason);
    }
}
