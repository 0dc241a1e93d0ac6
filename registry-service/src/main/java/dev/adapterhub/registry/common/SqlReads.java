package dev.adapterhub.registry.common;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain JDBC for the hot read paths (ADR 14): one statement per call, no ORM session, and no transaction of its
 * own, so a read sees every committed write (an alias moved a moment ago included) and costs one round trip.
 * Inside a caller's transaction the pool hands out that transaction's connection.
 */
@ApplicationScoped
public class SqlReads {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;

    public SqlReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every row, in the statement's order. A {@code UUID[]} or {@code String[]} parameter binds as an array. */
    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Read failed: " + e.getMessage(), e);
        }
    }

    /** The first row, if any. */
    public <T> Optional<T> first(String sql, RowMapper<T> mapper, Object... parameters) {
        return list(sql, mapper, parameters).stream().findFirst();
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    /** A text array column as a list; empty for SQL null. */
    public static List<String> strings(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
        } finally {
            array.free();
        }
    }

    /** An integer array column as a list; empty for SQL null. */
    public static List<Integer> integers(ResultSet row, String column) throws SQLException {
        return numbers(row, column).stream().map(Number::intValue).toList();
    }

    /** A bigint array column as a list; empty for SQL null. */
    public static List<Long> longs(ResultSet row, String column) throws SQLException {
        return numbers(row, column).stream().map(Number::longValue).toList();
    }

    private static List<Number> numbers(ResultSet row, String column) throws SQLException {
        Array array = row.getArray(column);
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.stream((Object[]) array.getArray()).map(Number.class::cast).toList();
        } finally {
            array.free();
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, Object... parameters)
            throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value instanceof UUID[] ids) {
                statement.setArray(i + 1, connection.createArrayOf("uuid", ids));
            } else if (value instanceof String[] texts) {
                statement.setArray(i + 1, connection.createArrayOf("text", texts));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
