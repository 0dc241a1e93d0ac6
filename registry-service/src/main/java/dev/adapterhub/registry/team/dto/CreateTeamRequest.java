package dev.adapterhub.registry.team.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreateTeam")
public record CreateTeamRequest(
        @Schema(required = true, examples = "search-quality") String name,
        String description) {
}
