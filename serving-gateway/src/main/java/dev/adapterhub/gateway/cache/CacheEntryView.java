package dev.adapterhub.gateway.cache;

import java.time.Instant;

/**
 * A snapshot of one cache entry, for the admin API.
 *
 * @param key      {@code <base model id>/<version digest>}
 * @param label    human name of what is loaded, e.g. {@code support-bot@3}
 * @param state    LOADING or READY
 * @param inFlight requests holding it now
 */
public record CacheEntryView(String key, String label, long sizeBytes, String state, boolean pinned, int inFlight,
                             long hits, Instant loadedAt, Instant lastUsedAt) {
}
