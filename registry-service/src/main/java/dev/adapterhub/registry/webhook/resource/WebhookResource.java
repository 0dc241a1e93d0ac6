package dev.adapterhub.registry.webhook.resource;

import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.webhook.dto.CreateWebhookRequest;
import dev.adapterhub.registry.webhook.dto.DeliveryDto;
import dev.adapterhub.registry.webhook.dto.ReplayDto;
import dev.adapterhub.registry.webhook.dto.ReplayRequest;
import dev.adapterhub.registry.webhook.dto.UpdateWebhookRequest;
import dev.adapterhub.registry.webhook.dto.WebhookDto;
import dev.adapterhub.registry.webhook.dto.WebhookSecretDto;
import dev.adapterhub.registry.webhook.service.WebhookService;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/teams/{team}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Events to your CI: signed (Standard Webhooks), retried, logged, replayable")
@APIResponse(responseCode = "400", description = "Invalid request (a refused target URL says why)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid credential",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a team admin",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such team, webhook or delivery",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class WebhookResource {

    private final WebhookService service;
    private final RegistryConfig config;

    public WebhookResource(WebhookService service, RegistryConfig config) {
        this.service = service;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to the team's events",
            description = "The answer carries the signing secret (whsec_…) this once. Events of the team's adapters "
                    + "and jobs, and every base-model event, whose type matches eventTypes are POSTed as their "
                    + "CloudEvents JSON with webhook-id, webhook-timestamp and webhook-signature headers.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = WebhookSecretDto.class)))
    public Response create(@PathParam("team") String team, CreateWebhookRequest request) {
        WebhookSecretDto created = service.create(team, request);
        return Response.created(URI.create("/api/v1/teams/" + team + "/webhooks/" + created.webhook().id()))
                .entity(created).build();
    }

    @GET
    @Operation(summary = "List the team's webhooks")
    public List<WebhookDto> list(@PathParam("team") String team) {
        return service.list(team);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a webhook")
    public WebhookDto get(@PathParam("team") String team, @PathParam("id") String id) {
        return service.get(team, uuid(id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a webhook", description = "url, eventTypes, description, enabled; enabling clears "
            + "the failure count.")
    public WebhookDto update(@PathParam("team") String team, @PathParam("id") String id,
                             UpdateWebhookRequest request) {
        return service.update(team, uuid(id), request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook and its delivery log")
    @APIResponse(responseCode = "204", description = "Deleted")
    public void delete(@PathParam("team") String team, @PathParam("id") String id) {
        service.delete(team, uuid(id));
    }

    @POST
    @Path("/{id}/rotate-secret")
    @Operation(summary = "Rotate the signing secret",
            description = "Returns the new secret once. Until previousSecretUntil deliveries carry two signatures, "
                    + "one per secret, so receivers can switch without losing events.")
    public WebhookSecretDto rotate(@PathParam("team") String team, @PathParam("id") String id) {
        return service.rotateSecret(team, uuid(id));
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send a test event", description = "Type dev.adapterhub.registry.webhook.test; delivered "
            + "and logged like any other.")
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(schema = @Schema(implementation = DeliveryDto.class)))
    public Response test(@PathParam("team") String team, @PathParam("id") String id) {
        return Response.accepted(service.test(team, uuid(id))).build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The delivery log", description = "Newest first; filter by state (PENDING, DELIVERED, "
            + "FAILED), eventType, and the event's arrival since / until (ISO-8601).")
    public PageDto<DeliveryDto> deliveries(@PathParam("team") String team, @PathParam("id") String id,
                                           @QueryParam("state") String state,
                                           @QueryParam("eventType") String eventType,
                                           @QueryParam("since") String since, @QueryParam("until") String until,
                                           @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return service.deliveries(team, uuid(id), state, eventType, instant("since", since), instant("until", until),
                PageRequest.of(page, size, config.limits().maxPageSize()));
    }

    @GET
    @Path("/{id}/deliveries/{delivery}")
    @Operation(summary = "One delivery with every attempt (status, latency, the receiver's answer truncated)")
    public DeliveryDto delivery(@PathParam("team") String team, @PathParam("id") String id,
                                @PathParam("delivery") String delivery) {
        return service.delivery(team, uuid(id), uuid(delivery));
    }

    @POST
    @Path("/{id}/deliveries/{delivery}/replay")
    @Operation(summary = "Send one delivery again", description = "Same webhook-id, so receivers can tell it from "
            + "a new event.")
    public DeliveryDto replay(@PathParam("team") String team, @PathParam("id") String id,
                              @PathParam("delivery") String delivery) {
        return service.replay(team, uuid(id), uuid(delivery));
    }

    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send again every delivery whose event came in [since, until)")
    public ReplayDto replayRange(@PathParam("team") String team, @PathParam("id") String id, ReplayRequest request) {
        return service.replay(team, uuid(id), request);
    }

    private static UUID uuid(String value) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // the problem below
        }
        throw new InvalidRequestException("ids are UUIDs");
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant such as 2026-12-05T10:00:00Z");
        }
    }
}
