package dev.adapterhub.registry.alias.repository;

import dev.adapterhub.registry.alias.entity.AdapterAlias;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AliasRepository implements PanacheRepositoryBase<AdapterAlias, UUID> {

    public Optional<AdapterAlias> findByName(UUID adapterId, String name) {
        return find("adapterId = ?1 and name = ?2", adapterId, name).firstResultOptional();
    }

    public List<AdapterAlias> findByAdapter(UUID adapterId) {
        return list("adapterId", Sort.ascending("name"), adapterId);
    }

    public List<AdapterAlias> findByVersion(UUID versionId) {
        return list("versionId", Sort.ascending("name"), versionId);
    }
}
