package dev.adapterhub.registry.storage;

import java.time.Instant;

/** One entry of an object listing. */
public record ObjectSummary(String key, long size, Instant lastModified) {
}
