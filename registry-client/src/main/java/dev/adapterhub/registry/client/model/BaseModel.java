package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;

/**
 * A registered base model revision.
 *
 * @param status ACTIVE, SUPERSEDED or RETIRED
 */
public record BaseModel(String id, String name, String revision, String architecture, int hiddenSize,
                        int intermediateSize, int numLayers, int numAttentionHeads, int numKeyValueHeads,
                        int vocabSize, String status, String supersededById, Instant registeredAt,
                        List<StoredFile> files) {

    /** {@code name@revision}, the reference every API accepts. */
    public String ref() {
        return name + "@" + revision;
    }
}
