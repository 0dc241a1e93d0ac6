package dev.adapterhub.registry.adapter.repository;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.entity.Adapter;
import dev.adapterhub.registry.common.SqlReads;
import dev.adapterhub.registry.security.Visibility;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class AdapterRepository implements PanacheRepositoryBase<Adapter, UUID> {

    /**
     * An adapter with what its read endpoints show beside its row. It reads the base model, version and alias
     * tables too: a read model, so that a GET is one round trip (ADR 14); writes go through the entities.
     */
    private static final String VIEW = """
            select a.id, a.name, a.team, a.method, a.task_description, a.visibility, a.created_by, a.created_at,
                   a.base_model_id, b.name as base_model_name, b.revision as base_model_revision,
                   array(select t.tag from adapter_tag t where t.adapter_id = a.id order by t.tag collate "C") as tags,
                   array(select p.alias from adapter_protected_alias p where p.adapter_id = a.id
                         order by p.alias collate "C") as protected_aliases,
                   coalesce((select max(v.version) from adapter_version v where v.adapter_id = a.id), 0)
                       as latest_version,
                   array(select al.name from adapter_alias al where al.adapter_id = a.id order by al.name)
                       as alias_names,
                   array(select v.version from adapter_alias al join adapter_version v on v.id = al.version_id
                         where al.adapter_id = a.id order by al.name) as alias_versions
            from adapter a join base_model b on b.id = a.base_model_id""";

    private final SqlReads reads;

    public AdapterRepository(SqlReads reads) {
        this.reads = reads;
    }

    public Optional<Adapter> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Locks the adapter row: serialises version numbering and alias moves of one adapter. */
    public Adapter lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The adapter named {@code name} as its read endpoints show it, in one statement. */
    public Optional<AdapterView> findView(String name) {
        return reads.first(VIEW + " where a.name = ?", AdapterRepository::view, name);
    }

    /** One page of the adapters matching {@code filter}, in name order, in one statement. */
    public List<AdapterView> searchViews(AdapterFilter filter, int offset, int limit) {
        List<Object> parameters = new ArrayList<>(filter.parameters());
        parameters.add(limit);
        parameters.add(offset);
        return reads.list(VIEW + " where " + filter.where() + " order by a.name, a.id limit ? offset ?",
                AdapterRepository::view, parameters.toArray());
    }

    public long count(AdapterFilter filter) {
        return reads.first("select count(*) from adapter a where " + filter.where(), row -> row.getLong(1),
                filter.parameters().toArray()).orElse(0L);
    }

    private static AdapterView view(ResultSet row) throws SQLException {
        List<String> aliasNames = SqlReads.strings(row, "alias_names");
        List<Integer> aliasVersions = SqlReads.integers(row, "alias_versions");
        Map<String, Integer> aliases = new LinkedHashMap<>();
        for (int i = 0; i < aliasNames.size(); i++) {
            aliases.put(aliasNames.get(i), aliasVersions.get(i));
        }
        return new AdapterView(SqlReads.uuid(row, "id"), row.getString("name"), row.getString("team"),
                AdapterMethod.valueOf(row.getString("method")), row.getString("task_description"),
                Visibility.valueOf(row.getString("visibility")), row.getString("created_by"),
                SqlReads.instant(row, "created_at"), SqlReads.uuid(row, "base_model_id"),
                row.getString("base_model_name"), row.getString("base_model_revision"),
                SqlReads.strings(row, "tags"), SqlReads.strings(row, "protected_aliases"), row.getInt("latest_version"),
                aliases);
    }
}
