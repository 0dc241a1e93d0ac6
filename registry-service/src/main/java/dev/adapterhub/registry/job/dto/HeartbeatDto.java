package dev.adapterhub.registry.job.dto;

import dev.adapterhub.registry.job.entity.JobState;

import java.time.Instant;

/** The renewed lease. */
public record HeartbeatDto(JobState state, Instant leaseExpiresAt) {
}
