package dev.adapterhub.registry.team.resource;

import dev.adapterhub.registry.common.StrictRequestJson;
import dev.adapterhub.registry.error.Problem;
import dev.adapterhub.registry.team.dto.ApiKeyDto;
import dev.adapterhub.registry.team.dto.CreateApiKeyRequest;
import dev.adapterhub.registry.team.dto.CreateTeamRequest;
import dev.adapterhub.registry.team.dto.CreatedApiKeyDto;
import dev.adapterhub.registry.team.dto.TeamDto;
import dev.adapterhub.registry.team.service.ApiKeyService;
import dev.adapterhub.registry.team.service.TeamService;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import java.net.URI;
import java.util.List;

@CustomDeserialization(StrictRequestJson.class)
@Path("/api/v1/teams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Teams", description = "Teams and their API keys")
@APIResponse(responseCode = "400", description = "Invalid request",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid credential",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not allowed for this caller",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such team (or not one of the caller's), or no such key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TeamResource {

    private final TeamService teams;
    private final ApiKeyService keys;

    public TeamResource(TeamService teams, ApiKeyService keys) {
        this.teams = teams;
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a team", description = "Platform admin only.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = TeamDto.class)))
    @APIResponse(responseCode = "409", description = "Name taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(CreateTeamRequest request) {
        TeamDto team = teams.create(request);
        return Response.created(URI.create("/api/v1/teams/" + team.name())).entity(team).build();
    }

    @GET
    @Operation(summary = "List the caller's teams", description = "Every team for the platform admin.")
    public List<TeamDto> list() {
        return teams.list();
    }

    @GET
    @Path("/{team}")
    @Operation(summary = "Get a team the caller belongs to")
    public TeamDto get(@PathParam("team") String team) {
        return teams.get(team);
    }

    @POST
    @Path("/{team}/api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key",
            description = "Team admins only. The response carries the key this once; only its SHA-256 is stored. "
                    + "Use it as 'Authorization: Bearer <key>'.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedApiKeyDto.class)))
    @APIResponse(responseCode = "409", description = "The team has a key of this name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response createKey(@PathParam("team") String team, CreateApiKeyRequest request) {
        CreatedApiKeyDto created = keys.create(team, request);
        return Response.created(URI.create("/api/v1/teams/" + team + "/api-keys/" + created.apiKey().id()))
                .entity(created).build();
    }

    @GET
    @Path("/{team}/api-keys")
    @Operation(summary = "List a team's API keys", description = "Team admins only; the keys themselves are never "
            + "shown again.")
    public List<ApiKeyDto> listKeys(@PathParam("team") String team) {
        return keys.list(team);
    }

    @DELETE
    @Path("/{team}/api-keys/{id}")
    @Operation(summary = "Revoke an API key", description = "Team admins only; effective at once.")
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(schema = @Schema(implementation = ApiKeyDto.class)))
    public ApiKeyDto revokeKey(@PathParam("team") String team, @PathParam("id") String id) {
        return keys.revoke(team, id);
    }
}
