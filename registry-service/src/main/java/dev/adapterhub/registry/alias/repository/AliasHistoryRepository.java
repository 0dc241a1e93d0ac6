package dev.adapterhub.registry.alias.repository;

import dev.adapterhub.registry.alias.entity.AliasHistoryEntry;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AliasHistoryRepository implements PanacheRepositoryBase<AliasHistoryEntry, UUID> {

    /** Newest first; {@code alias} null means every alias of the adapter. */
    public List<AliasHistoryEntry> findByAdapter(UUID adapterId, String alias) {
        Sort sort = Sort.descending("movedAt").and("id", Sort.Direction.Descending);
        return alias == null
                ? list("adapterId", sort, adapterId)
                : list("adapterId = ?1 and alias = ?2", sort, adapterId, alias);
    }
}
