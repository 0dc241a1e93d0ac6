package dev.adapterhub.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * PostgreSQL, Kafka and the S3 store started together (in parallel) under one data directory, and the
 * configuration every AdapterHub service needs to reach them.
 *
 * <p>Layout of the data directory: {@code postgres/}, {@code kafka/}, {@code s3/}.
 */
public final class LocalBackends implements AutoCloseable {

    /** Ports for the three backends; 0 means "any free port". */
    public record PortSettings(int postgres, int kafka, int s3) {
        public static final PortSettings ANY = new PortSettings(0, 0, 0);
        /** What the launcher binds unless told otherwise (README command 1). */
        public static final PortSettings DEFAULTS = new PortSettings(5432, 9092, 9000);
    }

    private final Path dataDir;
    private final Durability durability;
    private volatile PostgresServer postgres;
    private volatile KafkaServer kafka;
    private volatile S3Server s3;
    private final Map<String, Long> startupMillis;

    private LocalBackends(Path dataDir, Durability durability, PostgresServer postgres, KafkaServer kafka, S3Server s3,
                          Map<String, Long> startupMillis) {
        this.dataDir = dataDir;
        this.durability = durability;
        this.postgres = postgres;
        this.kafka = kafka;
        this.s3 = s3;
        this.startupMillis = startupMillis;
    }

    /** Throw-away backends on free ports (tests). */
    public static LocalBackends start(Path dataDir) {
        return start(dataDir, PortSettings.ANY, Durability.EPHEMERAL);
    }

    /**
     * Starts the three backends in parallel. If any fails, the ones that did start are stopped again and the
     * first failure is thrown.
     */
    public static LocalBackends start(Path dataDir, PortSettings ports, Durability durability) {
        long begin = System.nanoTime();
        Map<String, Long> millis = new LinkedHashMap<>();
        CompletableFuture<PostgresServer> postgres = timed("postgres", millis,
                () -> PostgresServer.start(dataDir.resolve("postgres"), ports.postgres(), durability));
        CompletableFuture<KafkaServer> kafka = timed("kafka", millis,
                () -> KafkaServer.start(dataDir.resolve("kafka"), ports.kafka(), durability));
        CompletableFuture<S3Server> s3 = timed("s3", millis,
                () -> S3Server.start(dataDir.resolve("s3"), ports.s3()));
        try {
            CompletableFuture.allOf(postgres, kafka, s3).join();
        } catch (CompletionException e) {
            closeStarted(postgres, kafka, s3);
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
        synchronized (millis) {
            millis.put("total", (System.nanoTime() - begin) / 1_000_000);
        }
        LocalBackends backends = new LocalBackends(dataDir, durability, postgres.join(), kafka.join(), s3.join(),
                Map.copyOf(millis));
        System.out.println("[local-stack] backends started in " + backends.startupMillis.get("total") + " ms"
                + " (postgres " + millis.get("postgres") + " ms, kafka " + millis.get("kafka")
                + " ms, s3 " + millis.get("s3") + " ms)");
        return backends;
    }

    private static <T> CompletableFuture<T> timed(String name, Map<String, Long> millis, Supplier<T> starter) {
        // Dedicated threads: the common pool may be a single thread on a 2-core machine.
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            long begin = System.nanoTime();
            try {
                T started = starter.get();
                synchronized (millis) {
                    millis.put(name, (System.nanoTime() - begin) / 1_000_000);
                }
                future.complete(started);
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, "local-stack-start-" + name);
        thread.start();
        return future;
    }

    private static void closeStarted(CompletableFuture<?>... futures) {
        for (CompletableFuture<?> future : futures) {
            // Wait for the slower ones too: one still starting when another failed would be left running.
            Object started = future.handle((result, failure) -> result).join();
            if (started instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception suppressed) {
                    System.err.println("[local-stack] while cleaning up after a failed start: " + suppressed);
                }
            }
        }
    }

    /**
     * Configuration for an AdapterHub service as Quarkus properties. Every service reads exactly these keys.
     */
    public Map<String, String> serviceProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        properties.put("quarkus.datasource.username", postgres.username());
        properties.put("quarkus.datasource.password", postgres.password());
        properties.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        properties.put("adapterhub.storage.endpoint", s3.endpoint());
        properties.put("adapterhub.storage.access-key", s3.accessKey());
        properties.put("adapterhub.storage.secret-key", s3.secretKey());
        properties.put("adapterhub.storage.region", s3.region());
        return properties;
    }

    /** The same configuration as environment variables (for a service started as a child process). */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        serviceProperties().forEach((key, value) -> environment.put(toEnvironmentName(key), value));
        return environment;
    }

    /** The MicroProfile Config mapping of a property name to an environment variable name. */
    static String toEnvironmentName(String property) {
        StringBuilder name = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public S3Server s3() {
        return s3;
    }

    // Outages for fault tests: each backend stops and starts again on its port with its data, as after a crash
    // of its host or a restart by an operator. Clients keep their addresses and must reconnect on their own.

    public void stopPostgres() {
        postgres.close();
    }

    public void startPostgres() {
        postgres = PostgresServer.start(dataDir.resolve("postgres"), postgres.port(), durability);
    }

    public void stopKafka() {
        kafka.close();
    }

    public void startKafka() {
        kafka = KafkaServer.start(dataDir.resolve("kafka"), kafka.port(), durability);
    }

    public void stopS3() {
        s3.close();
    }

    public void startS3() {
        s3 = S3Server.start(dataDir.resolve("s3"), s3.port());
    }

    /** Wall-clock startup time of each backend and of the whole parallel start, in milliseconds. */
    public Map<String, Long> startupMillis() {
        return startupMillis;
    }

    /** Stops the backends in reverse dependency order; every backend is stopped even if another fails to. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable backend : List.of(s3, kafka, postgres)) {
            try {
                backend.close();
            } catch (Exception e) {
                failures.add(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e));
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
