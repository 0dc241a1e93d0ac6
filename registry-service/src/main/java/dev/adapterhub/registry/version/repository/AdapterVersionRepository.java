package dev.adapterhub.registry.version.repository;

import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.common.SqlReads;
import dev.adapterhub.registry.security.Visibility;
import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.entity.VersionStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AdapterVersionRepository implements PanacheRepositoryBase<AdapterVersion, UUID> {

    /**
     * A version with what its read endpoints show beside its row; it reads the adapter, base model, file and
     * alias tables too (a read model, ADR 14). Completed by one of the {@code where} clauses below.
     */
    private static final String VIEW = """
            select v.id, v.adapter_id, a.name as adapter_name, a.team, a.visibility, a.method, v.version, v.digest,
                   v.status, v.peft_type, v.rank, v.target_modules, v.base_model_id, b.name as base_model_name,
                   b.revision as base_model_revision, v.training_job_id, v.dataset_digest, v.training_examples,
                   v.transfer_method, v.created_by, v.created_at, v.deprecated_at, v.deprecation_reason,
                   pv.id as parent_id, pa.name as parent_adapter, pv.version as parent_version,
                   pv.digest as parent_digest,
                   tv.id as from_id, ta.name as from_adapter, tv.version as from_version, tv.digest as from_digest,
                   array(select f.file_name from adapter_version_file f where f.version_id = v.id
                         order by f.file_name) as file_names,
                   array(select f.size_bytes from adapter_version_file f where f.version_id = v.id
                         order by f.file_name) as file_sizes,
                   array(select f.sha256 from adapter_version_file f where f.version_id = v.id
                         order by f.file_name) as file_digests,
                   array(select al.name from adapter_alias al where al.version_id = v.id order by al.name) as aliases
            from adapter_version v
            join adapter a on a.id = v.adapter_id
            join base_model b on b.id = v.base_model_id
            left join adapter_version pv on pv.id = v.parent_version_id
            left join adapter pa on pa.id = pv.adapter_id
            left join adapter_version tv on tv.id = v.transferred_from_version_id
            left join adapter ta on ta.id = tv.adapter_id
            """;

    private final SqlReads reads;

    public AdapterVersionRepository(SqlReads reads) {
        this.reads = reads;
    }

    public Optional<VersionView> findView(UUID id) {
        return reads.first(VIEW + "where v.id = ?", AdapterVersionRepository::view, id);
    }

    public Optional<VersionView> findView(String adapterName, int number) {
        return reads.first(VIEW + "where a.name = ? and v.version = ?", AdapterVersionRepository::view,
                adapterName, number);
    }

    /** The newest ACTIVE version of the adapter. */
    public Optional<VersionView> findLatestActiveView(String adapterName) {
        return reads.first(VIEW + "where a.name = ? and v.status = 'ACTIVE' order by v.version desc limit 1",
                AdapterVersionRepository::view, adapterName);
    }

    /** The version the adapter's alias points at. */
    public Optional<VersionView> findAliasView(String adapterName, String alias) {
        return reads.first(VIEW + "where a.name = ? and v.id = (select al.version_id from adapter_alias al"
                + " where al.adapter_id = a.id and al.name = ?)", AdapterVersionRepository::view, adapterName, alias);
    }

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

    /** Version numbers of the versions with these ids, in one query. */
    public Map<UUID, Integer> numbers(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Integer> numbers = new HashMap<>();
        getEntityManager()
                .createQuery("select v.id, v.version from AdapterVersion v where v.id in :ids", Object[].class)
                .setParameter("ids", ids)
                .getResultList()
                .forEach(row -> numbers.put((UUID) row[0], (Integer) row[1]));
        return numbers;
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

    private static VersionView view(ResultSet row) throws SQLException {
        List<String> fileNames = SqlReads.strings(row, "file_names");
        List<Long> fileSizes = SqlReads.longs(row, "file_sizes");
        List<String> fileDigests = SqlReads.strings(row, "file_digests");
        List<VersionView.File> files = new ArrayList<>();
        for (int i = 0; i < fileNames.size(); i++) {
            files.add(new VersionView.File(fileNames.get(i), fileSizes.get(i), fileDigests.get(i)));
        }
        return new VersionView(SqlReads.uuid(row, "id"), SqlReads.uuid(row, "adapter_id"),
                row.getString("adapter_name"), row.getString("team"),
                Visibility.valueOf(row.getString("visibility")), AdapterMethod.valueOf(row.getString("method")),
                row.getInt("version"), row.getString("digest"), VersionStatus.valueOf(row.getString("status")),
                PeftType.valueOf(row.getString("peft_type")), row.getInt("rank"), row.getString("target_modules"),
                SqlReads.uuid(row, "base_model_id"), row.getString("base_model_name"),
                row.getString("base_model_revision"), row.getString("training_job_id"),
                row.getString("dataset_digest"), row.getObject("training_examples", Integer.class),
                row.getString("transfer_method"),
                related(row, "parent_id", "parent_adapter", "parent_version", "parent_digest"),
                related(row, "from_id", "from_adapter", "from_version", "from_digest"), files,
                SqlReads.strings(row, "aliases"), row.getString("created_by"), SqlReads.instant(row, "created_at"),
                SqlReads.instant(row, "deprecated_at"), row.getString("deprecation_reason"));
    }

    private static VersionView.Related related(ResultSet row, String id, String adapter, String version,
                                               String digest) throws SQLException {
        UUID relatedId = SqlReads.uuid(row, id);
        return relatedId == null ? null
                : new VersionView.Related(relatedId, row.getString(adapter), row.getInt(version), row.getString(digest));
    }
}
