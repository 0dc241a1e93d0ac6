package dev.adapterhub.transfer.api;

import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.Caller;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.registry.client.model.Page;
import dev.adapterhub.registry.client.model.TransferOptions;
import dev.adapterhub.transfer.plan.NotFoundException;
import dev.adapterhub.transfer.plan.TransferPlanner;
import dev.adapterhub.transfer.security.CurrentCaller;
import dev.adapterhub.transfer.security.ForbiddenException;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Transfers on demand, and following, cancelling and reviewing any transfer (issue 10, ADR 11). */
@Path("/api/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such transfer, adapter or base model",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TransferResource {

    private static final int MAX_PAGE = 100;

    private final TransferPlanner planner;
    private final RegistryClient registry;
    private final CurrentCaller current;

    public TransferResource(TransferPlanner planner, RegistryClient registry, CurrentCaller current) {
        this.planner = planner;
        this.registry = registry;
        this.current = current;
    }

    /** The registry as the caller: it decides what the caller may see and change. */
    private RegistryClient asCaller() {
        return registry.withCredential(current.credential());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Plan transfers of adapters to another base model",
            description = "One transfer per served version (a version an alias points at) on the adapter's current "
                    + "base, production first. Versions the registry refuses (no transfer kit and other shapes, "
                    + "already on that base) are listed with the reason.")
    @APIResponse(responseCode = "201", description = "Planned",
            content = @Content(schema = @Schema(implementation = PlanDto.class)))
    public Response plan(PlanRequest request) {
        if (request == null || request.targetBaseModel() == null || request.targetBaseModel().isBlank()) {
            throw new IllegalArgumentException("targetBaseModel is required");
        }
        if (request.goal() != null && request.goal() < 1) {
            throw new IllegalArgumentException("goal must be at least 1");
        }
        if (request.gateMargin() != null && !(request.gateMargin() >= 0 && request.gateMargin() <= 1)) {
            throw new IllegalArgumentException("gateMargin must be between 0 and 1");
        }
        boolean named = request.adapters() != null && !request.adapters().isEmpty();
        if (named == (request.team() != null)) {
            throw new IllegalArgumentException("name either adapters or a team");
        }
        Caller caller = current.caller();
        List<Adapter> adapters = new ArrayList<>();
        if (named) {
            for (String name : request.adapters()) {
                // Read as the caller: another team's private adapter does not exist for it.
                Adapter adapter = asCaller().findAdapter(name).orElseThrow(() ->
                        new NotFoundException("Adapter " + name + " does not exist"));
                requireWriter(caller, adapter.team());
                adapters.add(adapter);
            }
        } else {
            requireWriter(caller, request.team());
            adapters.addAll(registry.listAllAdaptersOfTeam(request.team()));
        }
        String actor = caller.name();
        PlanDto plan = PlanDto.of(planner.planOnDemand(adapters, request.targetBaseModel(),
                new TransferOptions(request.goal(), request.copyFirst(), request.gateMargin()),
                request.idempotencyKey(), actor));
        return Response.status(201).entity(plan).build();
    }

    @GET
    @Operation(summary = "List transfers", description = "Newest first; pages are 0-based.")
    public PageDto<TransferDto> list(@QueryParam("state") String state, @QueryParam("adapter") String adapter,
                                     @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 20 : size;
        if (p < 0 || s < 1 || s > MAX_PAGE) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and " + MAX_PAGE);
        }
        Page<Job> jobs = asCaller().listTrainingJobs("TRANSFER", state, adapter, p, s);
        return new PageDto<>(jobs.items().stream().map(TransferDto::of).toList(), p, s, jobs.total());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a transfer")
    public TransferDto get(@PathParam("id") String id) {
        return TransferDto.of(transfer(id));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel a transfer", description = "A worker running it stops at its next heartbeat.")
    public TransferDto cancel(@PathParam("id") String id, ReviewRequest request) {
        transfer(id);
        return TransferDto.of(asCaller().cancelTrainingJob(UUID.fromString(id), note(request), null));
    }

    @POST
    @Path("/{id}/promote")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Promote a transferred version that awaits review")
    public TransferDto promote(@PathParam("id") String id, ReviewRequest request) {
        transfer(id);
        return TransferDto.of(asCaller().promoteTransfer(UUID.fromString(id), note(request), null));
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Reject a transferred version that awaits review")
    public TransferDto reject(@PathParam("id") String id, ReviewRequest request) {
        transfer(id);
        return TransferDto.of(asCaller().rejectTransfer(UUID.fromString(id), note(request), null));
    }

    /** The TRANSFER job with this id; a training job is not a transfer (404). */
    private Job transfer(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a transfer id is a UUID");
        }
        return asCaller().findTrainingJob(uuid).filter(Job::isTransfer).orElseThrow(() ->
                new NotFoundException("Transfer " + id + " does not exist"));
    }

    private static String note(ReviewRequest request) {
        return request == null ? null : request.note();
    }

    /** Planning moves an adapter's versions: its team's writers (and the platform admin) may. */
    private static void requireWriter(Caller caller, String team) {
        if (!caller.platformAdmin() && !caller.atLeast(team, "WRITER")) {
            throw new ForbiddenException("Only a writer of team " + team + " may plan transfers of its adapters");
        }
    }
}
