package dev.adapterhub.registry.version.repository;

import dev.adapterhub.registry.version.entity.AdapterVersionFile;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AdapterVersionFileRepository implements PanacheRepositoryBase<AdapterVersionFile, UUID> {

    public List<AdapterVersionFile> findByVersion(UUID versionId) {
        return list("versionId", Sort.ascending("fileName"), versionId);
    }

    public Optional<AdapterVersionFile> findFile(UUID versionId, String fileName) {
        return find("versionId = ?1 and fileName = ?2", versionId, fileName).firstResultOptional();
    }
}
