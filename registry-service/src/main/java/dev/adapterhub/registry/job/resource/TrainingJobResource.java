package dev.adapterhub.registry.job.resource;

import dev.adapterhub.registry.common.Enums;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.common.Uploads;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.job.dto.CancelRequest;
import dev.adapterhub.registry.job.dto.ClaimDto;
import dev.adapterhub.registry.job.dto.ClaimRequest;
import dev.adapterhub.registry.job.dto.CompleteForm;
import dev.adapterhub.registry.job.dto.CompletionDto;
import dev.adapterhub.registry.job.dto.FailRequest;
import dev.adapterhub.registry.job.dto.HeartbeatDto;
import dev.adapterhub.registry.job.dto.HeartbeatRequest;
import dev.adapterhub.registry.job.dto.JobDto;
import dev.adapterhub.registry.job.dto.JobEventDto;
import dev.adapterhub.registry.job.dto.JobKind;
import dev.adapterhub.registry.job.dto.ProgressDto;
import dev.adapterhub.registry.job.dto.ReviewRequest;
import dev.adapterhub.registry.job.dto.SubmitJobRequest;
import dev.adapterhub.registry.job.entity.JobState;
import dev.adapterhub.registry.job.service.CompletionService;
import dev.adapterhub.registry.job.service.JobService;
import dev.adapterhub.registry.job.service.LeaseService;
import dev.adapterhub.registry.job.service.TransferGate;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Scope;
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
import java.util.UUID;

/**
 * Training jobs: the client API (submit, list, get, cancel, events, progress) and the worker API (claim,
 * heartbeat, fail, complete) of ADR 0005. One class because both live under the same path.
 */
@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/training-jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Training jobs", description = "Submit training jobs and follow them; worker leases")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such job (or base model, dataset)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "500", description = "Unexpected error",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TrainingJobResource {

    private final JobService jobs;
    private final LeaseService leases;
    private final CompletionService completions;
    private final TransferGate gate;
    private final RegistryConfig config;
    private final Access access;

    public TrainingJobResource(JobService jobs, LeaseService leases, CompletionService completions,
                               TransferGate gate, RegistryConfig config, Access access) {
        this.access = access;
        this.gate = gate;
        this.jobs = jobs;
        this.leases = leases;
        this.completions = completions;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a training job",
            description = "Validated up front (base model, dataset, method, hyperparameters); then QUEUED and "
                    + "dispatched to the workers. With an idempotencyKey already used for the same request, the "
                    + "first job is returned with 200.")
    @APIResponse(responseCode = "201", description = "Queued",
            content = @Content(schema = @Schema(implementation = JobDto.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier submission with the same idempotencyKey",
            content = @Content(schema = @Schema(implementation = JobDto.class)))
    @APIResponse(responseCode = "409", description = "Base model retired; adapter on another base or method",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "idempotencyKey reused with a different request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(SubmitJobRequest request) {
        JobService.Submission submission = jobs.submit(request);
        if (!submission.created()) {
            return Response.ok(submission.job()).build();
        }
        return Response.created(URI.create("/api/v1/training-jobs/" + submission.job().id()))
                .entity(submission.job()).build();
    }

    @GET
    @Operation(summary = "List training jobs", description = "Newest first; pages are 0-based.")
    public PageDto<JobDto> list(
            @Parameter(description = "TRAINING or TRANSFER") @QueryParam("kind") String kind,
            @Parameter(description = "QUEUED, VALIDATING, RUNNING, SUCCEEDED, FAILED or CANCELLED")
            @QueryParam("state") String state,
            @QueryParam("adapter") String adapter,
            @QueryParam("page") Integer page,
            @QueryParam("size") Integer size) {
        return jobs.list(Enums.parse(JobKind.class, kind, "kind"), Enums.parse(JobState.class, state, "state"), adapter,
                PageRequest.of(page, size, config.limits().maxPageSize()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a training job")
    public JobDto get(@PathParam("id") String id) {
        return jobs.get(uuid(id));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel a training job",
            description = "Ends the job CANCELLED at once; a worker running it is refused at its next heartbeat "
                    + "and stops without publishing.")
    @APIResponse(responseCode = "409", description = "The job already ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobDto cancel(@PathParam("id") String id, CancelRequest request) {
        return jobs.cancel(uuid(id), request == null ? null : request.reason(),
                request == null ? null : request.actor());
    }

    @POST
    @Path("/{id}/promote")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Promote a transferred version that awaits review",
            description = "For a TRANSFER whose gate said NEEDS_REVIEW: moves the aliases the transfer was to move "
                    + "to its version (audited like any alias move), makes the target base the adapter's, and records "
                    + "PROMOTED_BY_REVIEW with the note. Announced as dev.adapterhub.training.job.transfer-gated.")
    @APIResponse(responseCode = "409", description = "Not a TRANSFER, or it does not await a review",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobDto promote(@PathParam("id") String id, ReviewRequest request) {
        return gate.promote(uuid(id), request == null ? null : request.note(),
                request == null ? null : request.actor());
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Reject a transferred version that awaits review",
            description = "For a TRANSFER whose gate said NEEDS_REVIEW: records REJECTED with the note; no alias "
                    + "moves (the version stays, and can be deprecated). Announced like a promotion.")
    @APIResponse(responseCode = "409", description = "Not a TRANSFER, or it does not await a review",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobDto reject(@PathParam("id") String id, ReviewRequest request) {
        return gate.reject(uuid(id), request == null ? null : request.note(),
                request == null ? null : request.actor());
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "A job's events: messages and metrics, oldest first",
            description = "Pass the last seq seen as after= to read only newer events.")
    public List<JobEventDto> events(@PathParam("id") String id, @QueryParam("after") Long after,
                                    @QueryParam("limit") Integer limit) {
        return jobs.events(uuid(id), after, limit);
    }

    @GET
    @Path("/{id}/progress")
    @Operation(summary = "A job's progress: percent, ETA, latest loss and eval metrics")
    public ProgressDto progress(@PathParam("id") String id) {
        return jobs.progress(uuid(id));
    }

    @POST
    @Path("/{id}/claim")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Training workers")
    @Operation(summary = "Worker: claim the attempt named by a dispatch record",
            description = "Compare-and-set on state QUEUED and the attempt; exactly one worker wins, the others "
                    + "get 409 and commit their offset.")
    @APIResponse(responseCode = "409", description = "Not claimable (claimed, cancelled, or a stale attempt)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ClaimDto claim(@PathParam("id") String id, ClaimRequest request) {
        access.service(Scope.JOBS_EXECUTE, "claim jobs");
        return leases.claim(uuid(id), request);
    }

    @POST
    @Path("/{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Training workers")
    @Operation(summary = "Worker: renew the lease and report progress")
    @APIResponse(responseCode = "409", description = "Lease lost (expired and re-queued, or cancelled): stop",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HeartbeatDto heartbeat(@PathParam("id") String id, HeartbeatRequest request) {
        access.service(Scope.JOBS_EXECUTE, "renew job leases");
        return leases.heartbeat(uuid(id), request);
    }

    @POST
    @Path("/{id}/fail")
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Training workers")
    @Operation(summary = "Worker: give up the attempt", description = "Re-queued when retryable and attempts are "
            + "left, else FAILED with the reason.")
    @APIResponse(responseCode = "204", description = "Recorded")
    @APIResponse(responseCode = "409", description = "Lease lost",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response fail(@PathParam("id") String id, FailRequest request) {
        access.service(Scope.JOBS_EXECUTE, "fail jobs");
        leases.fail(uuid(id), request);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/complete")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Tag(name = "Training workers")
    @Operation(summary = "Worker: publish the trained adapter and end the job SUCCEEDED",
            description = "Creates the adapter when the job names a new one, publishes the files as its next version "
                    + "(lineage: this job, the dataset digest, the base model, the training-set size), stores the "
                    + "metrics and the transfer kit (seed examples, discriminator; checked before anything is "
                    + "published) and ends the job SUCCEEDED, holding the job's lock throughout. Idempotent by job id: repeating "
                    + "it returns the same version.")
    @APIResponse(responseCode = "200", description = "Published (or already published by this job)",
            content = @Content(schema = @Schema(implementation = CompletionDto.class)))
    @APIResponse(responseCode = "409", description = "Lease lost",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The files are not a valid adapter for the base model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionDto complete(@PathParam("id") String id, CompleteForm form) {
        access.service(Scope.JOBS_EXECUTE, "complete jobs");
        return completions.complete(uuid(id), Uploads.outsidePart(form.files, CompleteForm.KIT_FILE_PART),
                new CompletionService.Handin(form.leaseToken, form.metrics, form.seedExamples,
                        Uploads.positiveCount("trainingExamples", form.trainingExamples), form.transferKit,
                        Uploads.inPart(form.files, CompleteForm.KIT_FILE_PART), blankToNull(form.transferMethod)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static UUID uuid(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw new InvalidRequestException("job id must be a UUID");
    }
}
