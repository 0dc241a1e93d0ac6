package dev.adapterhub.registry.support;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.ObjectSummary;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A snapshot of everything the registry persists: row counts per table and object keys per prefix. */
public record State(Map<String, Long> rows, Set<String> blobs, Set<String> staging) {

    public static final List<String> TABLES = List.of("base_model", "base_model_file", "adapter", "adapter_tag",
            "adapter_version", "adapter_version_file", "adapter_alias", "alias_history", "version_metric",
            "seed_example", "transfer_kit", "transfer_kit_file", "adapter_evaluation_set", "outbox_event");

    public static State take(DataSource dataSource, ObjectStorage storage) {
        return new State(rows(dataSource, TABLES), keys(storage, ObjectStorage.BLOB_PREFIX),
                keys(storage, ObjectStorage.STAGING_PREFIX));
    }

    /** Row counts of {@code tables}, in that order. */
    public static Map<String, Long> rows(DataSource dataSource, List<String> tables) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet result = statement.executeQuery("select count(*) from " + table)) {
                    result.next();
                    rows.put(table, result.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    public static long pendingOutbox(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "select count(*) from outbox_event where published_at is null")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> keys(ObjectStorage storage, String prefix) {
        return storage.list(storage.bucket(), prefix).stream().map(ObjectSummary::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
