package dev.adapterhub.registry.dataset.repository;

import dev.adapterhub.registry.dataset.entity.TrainingDataset;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TrainingDatasetRepository implements PanacheRepositoryBase<TrainingDataset, UUID> {

    public Optional<TrainingDataset> findByDigest(String digest) {
        return find("digest", digest).firstResultOptional();
    }
}
