package dev.adapterhub.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server (zonky embedded binaries) with its data in a given directory, listening on 127.0.0.1,
 * with the database {@value #DATABASE} created.
 *
 * <p>When the JVM runs as root, zonky runs {@code initdb}/{@code pg_ctl} through {@code unshare -U} (PostgreSQL
 * refuses to run as root; inside the user namespace the process is an unprivileged user that still owns the
 * root-owned data directory). zonky does this by itself when {@code unshare -U} works; a start failure as root
 * names that requirement.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "adapterhub";
    public static final String USERNAME = "postgres";
    /** The server trusts local connections; the password exists because clients insist on having one. */
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.port = postgres.getPort();
    }

    /** Starts a throw-away server on a free port. */
    public static PostgresServer start(Path dataDir) {
        return start(dataDir, 0, Durability.EPHEMERAL);
    }

    /**
     * Starts a server whose cluster lives in {@code dataDir} (created by initdb on first use, reused afterwards).
     *
     * @param port the port to listen on, or 0 for a free one
     */
    public static PostgresServer start(Path dataDir, int port, Durability durability) {
        try {
            Files.createDirectories(dataDir);
            int resolvedPort = Ports.claim(port, "PostgreSQL");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(resolvedPort)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", Ports.LOOPBACK)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("timezone", "UTC");
            if (durability == Durability.EPHEMERAL) {
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            PostgresServer server = new PostgresServer(builder.start());
            server.createDatabaseIfMissing();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL failed to start in " + dataDir + rootHint(), e);
        }
    }

    private static String rootHint() {
        return "root".equals(System.getProperty("user.name"))
                ? " (running as root: PostgreSQL is started through 'unshare -U', which needs user namespaces)"
                : "";
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                query.setString(1, DATABASE);
                try (ResultSet result = query.executeQuery()) {
                    exists = result.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    create.execute("create database " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + DATABASE, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    /** Stops the server (a fast shutdown: open sessions are disconnected, committed data is kept). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
