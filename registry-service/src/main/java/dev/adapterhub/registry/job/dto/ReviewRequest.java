package dev.adapterhub.registry.job.dto;

/** Optional body of a promote or reject of a transferred version. */
public record ReviewRequest(String note, String actor) {
}
