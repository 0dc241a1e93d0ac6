package dev.adapterhub.registry.job.dto;

import dev.adapterhub.registry.version.dto.VersionDto;

/** The succeeded job and the version it published. */
public record CompletionDto(JobDto job, VersionDto version) {
}
