package dev.adapterhub.registry.version.repository;

import dev.adapterhub.registry.version.entity.SeedExample;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SeedExampleRepository implements PanacheRepositoryBase<SeedExample, UUID> {

    public List<SeedExample> findByVersion(UUID versionId) {
        return list("versionId", Sort.ascending("position"), versionId);
    }

    public long countByVersion(UUID versionId) {
        return count("versionId", versionId);
    }
}
