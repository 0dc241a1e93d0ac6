package dev.adapterhub.registry.team.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

@Schema(name = "Team")
public record TeamDto(String name, String description, String createdBy, Instant createdAt) {
}
