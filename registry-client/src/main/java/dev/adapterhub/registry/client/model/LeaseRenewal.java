package dev.adapterhub.registry.client.model;

import java.time.Instant;

/** The answer to a heartbeat: the job's state and the renewed lease. */
public record LeaseRenewal(String state, Instant leaseExpiresAt) {
}
