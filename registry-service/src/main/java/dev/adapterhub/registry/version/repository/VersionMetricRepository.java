package dev.adapterhub.registry.version.repository;

import dev.adapterhub.registry.version.entity.VersionMetric;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class VersionMetricRepository implements PanacheRepositoryBase<VersionMetric, UUID> {

    public List<VersionMetric> findByVersion(UUID versionId) {
        return list("versionId", Sort.ascending("name").and("split").and("step").and("recordedAt").and("id"),
                versionId);
    }
}
