package dev.adapterhub.registry.basemodel.repository;

import dev.adapterhub.registry.basemodel.entity.BaseModelFile;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class BaseModelFileRepository implements PanacheRepositoryBase<BaseModelFile, UUID> {

    public List<BaseModelFile> findByBaseModel(UUID baseModelId) {
        return list("baseModelId", Sort.ascending("fileName"), baseModelId);
    }

    public Optional<BaseModelFile> findFile(UUID baseModelId, String fileName) {
        return find("baseModelId = ?1 and fileName = ?2", baseModelId, fileName).firstResultOptional();
    }
}
