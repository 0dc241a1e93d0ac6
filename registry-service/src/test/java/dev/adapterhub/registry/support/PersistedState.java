package dev.adapterhub.registry.support;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.ObjectSummary;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything the registry persists, by content: a digest of every row of every table (not only the counts, so an
 * update shows) and the keys of every blob. For tests that assert a refused call changed nothing.
 *
 * <p>Left out on purpose: what changes by itself while the test runs, namely an API key's last-used time, the
 * outbox relay's publication marks, the lease reaper's work on other tests' jobs (jobs and their events count only
 * for {@code team}), and alias-history rows of refused attempts, which are the audit trail of a refusal.
 */
public record PersistedState(Map<String, String> tables, Set<String> blobs) {

    private static final Map<String, String> PROJECTIONS = new LinkedHashMap<>();

    static {
        for (String table : new String[]{"team", "base_model", "base_model_file", "adapter", "adapter_tag",
                "adapter_protected_alias", "adapter_version", "adapter_version_file", "adapter_alias",
                "version_metric", "seed_example", "transfer_kit", "transfer_kit_file", "adapter_evaluation_set",
                "training_dataset", "training_dataset_team"}) {
            PROJECTIONS.put(table, "select * from " + table);
        }
        PROJECTIONS.put("alias_history", "select * from alias_history where outcome = 'MOVED'");
        PROJECTIONS.put("api_key", "select id, team, name, role, scopes, expires_at, revoked_at from api_key");
        PROJECTIONS.put("training_job", "select * from training_job where team = :team");
        PROJECTIONS.put("training_job_event", "select e.* from training_job_event e join training_job j on j.id = "
                + "e.job_id where j.team = :team");
        PROJECTIONS.put("outbox_event", "select id, event_type, payload from outbox_event where aggregate_type <> "
                + "'training-job' or aggregate_id in (select id from training_job where team = :team)");
    }

    /** The state now; {@code team} scopes the job tables. */
    public static PersistedState take(DataSource dataSource, ObjectStorage storage, String team) {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> projection : PROJECTIONS.entrySet()) {
                String query = "select count(*) || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), "
                        + "'') from (" + projection.getValue().replace(":team", "'" + team.replace("'", "''") + "'")
                        + ") x";
                try (ResultSet result = statement.executeQuery(query)) {
                    result.next();
                    tables.put(projection.getKey(), result.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Set<String> blobs = storage.list(storage.bucket(), ObjectStorage.BLOB_PREFIX).stream()
                .map(ObjectSummary::key).collect(Collectors.toCollection(TreeSet::new));
        return new PersistedState(tables, blobs);
    }

    /** What differs, for a failure message. */
    public String differences(PersistedState other) {
        StringBuilder out = new StringBuilder();
        tables.forEach((table, digest) -> {
            if (!digest.equals(other.tables.get(table))) {
                out.append(table).append(' ');
            }
        });
        if (!blobs.equals(other.blobs)) {
            out.append("blobs");
        }
        return out.toString().strip();
    }
}
