package dev.adapterhub.registry.client.model;

import java.time.Instant;

/**
 * A stored training dataset.
 *
 * @param digest    {@code sha256:<hex>} of the JSONL bytes
 * @param deletedAt when its bytes were deleted (the record stays); null while stored
 */
public record Dataset(String id, String digest, long sizeBytes, int exampleCount, String fileName, String createdBy,
                      Instant createdAt, Instant deletedAt, String deletedBy, String deletionReason) {
}
