package dev.adapterhub.registry.adapter.repository;

import dev.adapterhub.registry.adapter.entity.Adapter;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AdapterRepository implements PanacheRepositoryBase<Adapter, UUID> {

    public Optional<Adapter> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Locks the adapter row: serialises version numbering and alias moves of one adapter. */
    public Adapter lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<Adapter> search(AdapterFilter filter, int offset, int limit) {
        TypedQuery<Adapter> query = getEntityManager().createQuery(
                "select a from Adapter a where " + filter.where() + " order by a.name, a.id", Adapter.class);
        filter.bind(query);
        return query.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    public long count(AdapterFilter filter) {
        TypedQuery<Long> query = getEntityManager().createQuery(
                "select count(a) from Adapter a where " + filter.where(), Long.class);
        filter.bind(query);
        return query.getSingleResult();
    }
}
