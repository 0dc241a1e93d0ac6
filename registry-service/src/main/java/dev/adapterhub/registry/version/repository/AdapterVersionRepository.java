package dev.adapterhub.registry.version.repository;

import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.entity.VersionStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AdapterVersionRepository implements PanacheRepositoryBase<AdapterVersion, UUID> {

    public Optional<AdapterVersion> findByNumber(UUID adapterId, int version) {
        return find("adapterId = ?1 and version = ?2", adapterId, version).firstResultOptional();
    }

    public Optional<AdapterVersion> findLatestActive(UUID adapterId) {
        return find("adapterId = ?1 and status = ?2", Sort.descending("version"), adapterId, VersionStatus.ACTIVE)
                .firstResultOptional();
    }

    /** The version a training job published (a job publishes at most one, ADR 0005). */
    public Optional<AdapterVersion> findByTrainingJob(String trainingJobId) {
        return find("trainingJobId", trainingJobId).firstResultOptional();
    }

    /** Highest version number of an adapter, or 0. Call with the adapter row locked. */
    public int maxVersion(UUID adapterId) {
        Integer max = getEntityManager()
                .createQuery("select max(v.version) from AdapterVersion v where v.adapterId = :id", Integer.class)
                .setParameter("id", adapterId)
                .getSingleResult();
        return max == null ? 0 : max;
    }

    public List<AdapterVersion> page(UUID adapterId, int offset, int limit) {
        return find("adapterId", Sort.descending("version"), adapterId).range(offset, offset + limit - 1).list();
    }

    public long countByAdapter(UUID adapterId) {
        return count("adapterId", adapterId);
    }
}
