package dev.adapterhub.registry.client.model;

import java.time.Instant;

/**
 * A stored training dataset.
 *
 * @param digest {@code sha256:<hex>} of the JSONL bytes
 */
public record Dataset(String id, String digest, long sizeBytes, int exampleCount, String fileName, String createdBy,
                      Instant createdAt) {
}
