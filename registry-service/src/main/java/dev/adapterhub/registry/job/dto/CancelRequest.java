package dev.adapterhub.registry.job.dto;

/** Optional body of a cancel. */
public record CancelRequest(String reason, String actor) {
}
