package dev.adapterhub.registry.evaluationset.repository;

import dev.adapterhub.registry.evaluationset.entity.AdapterEvaluationSet;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AdapterEvaluationSetRepository implements PanacheRepositoryBase<AdapterEvaluationSet, UUID> {

    public List<AdapterEvaluationSet> findByDataset(UUID datasetId) {
        return list("datasetId", datasetId);
    }
}
