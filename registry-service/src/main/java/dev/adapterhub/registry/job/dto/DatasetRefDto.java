package dev.adapterhub.registry.job.dto;

import java.util.UUID;

/** The dataset of a job. */
public record DatasetRefDto(UUID id, String digest, int exampleCount) {
}
