package dev.adapterhub.registry.transferkit.repository;

import dev.adapterhub.registry.transferkit.entity.TransferKitFile;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TransferKitFileRepository implements PanacheRepositoryBase<TransferKitFile, UUID> {

    public List<TransferKitFile> findByVersion(UUID versionId) {
        return list("versionId", Sort.ascending("fileName"), versionId);
    }

    public Optional<TransferKitFile> findFile(UUID versionId, String fileName) {
        return find("versionId = ?1 and fileName = ?2", versionId, fileName).firstResultOptional();
    }
}
