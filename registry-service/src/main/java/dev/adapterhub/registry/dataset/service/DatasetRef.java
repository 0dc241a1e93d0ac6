package dev.adapterhub.registry.dataset.service;

import dev.adapterhub.registry.dataset.entity.TrainingDataset;

import java.util.UUID;

/** What other features need to know about a stored dataset; {@link DatasetService} hands it out, not the entity. */
public record DatasetRef(UUID id, String digest, String objectKey, long sizeBytes, int exampleCount,
                         boolean deleted) {

    static DatasetRef of(TrainingDataset dataset) {
        return new DatasetRef(dataset.id, dataset.digest, dataset.objectKey, dataset.sizeBytes, dataset.exampleCount,
                dataset.deletedAt != null);
    }
}
