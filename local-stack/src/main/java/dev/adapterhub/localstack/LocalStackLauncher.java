package dev.adapterhub.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One command for a complete local AdapterHub: {@code java -jar local-stack/target/local-stack.jar}.
 *
 * <p>Starts the backends with durable settings in a persistent data directory, then each built service as a
 * child process, waits until every service is ready and prints where everything is. Ctrl-C (or SIGTERM) stops
 * the services, then the backends.
 */
public final class LocalStackLauncher {

    private static final PrintStream OUT = System.out;

    private final LauncherOptions options;
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());
    private volatile LocalBackends backends;
    private LocalKeys keys;
    private volatile boolean stopping;

    private LocalStackLauncher(LauncherOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        // Before any logger exists: Kafka uses the Log4j API, which has no backend here.
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.setProperty("log4j2.simplelogLevel", "WARN");
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.print(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            OUT.print(LauncherOptions.USAGE);
            return;
        }
        LocalStackLauncher launcher = new LocalStackLauncher(options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stopAll, "local-stack-shutdown"));
        try {
            launcher.startAll();
        } catch (Exception e) {
            System.err.println();
            System.err.println("[local-stack] START FAILED: " + e.getMessage());
            System.exit(1);
        }
        new CountDownLatch(1).await(); // runs until Ctrl-C / SIGTERM; the shutdown hook cleans up
    }

    private void startAll() throws IOException, InterruptedException {
        Files.createDirectories(options.dataDir());
        OUT.println("[local-stack] data directory: " + options.dataDir());
        OUT.println("[local-stack] services directory: " + options.servicesDir());
        OUT.println("[local-stack] starting PostgreSQL, Kafka and S3 ...");
        backends = LocalBackends.start(options.dataDir(), options.ports(), Durability.DURABLE);
        if (stopping) {
            return;
        }

        long servicesBegin = System.nanoTime();
        Map<String, String> environment = new LinkedHashMap<>(backends.environment());
        environment.put("ADAPTERHUB_REGISTRY_URL", KnownService.registryApiUrl());
        // Kept with the rest of the data, so a restart reuses downloaded base models and datasets.
        environment.put("ADAPTERHUB_WORKER_RUNTIME_CACHE_DIR", options.dataDir().resolve("worker-cache").toString());
        environment.put("ADAPTERHUB_WORKER_RUNTIME_WORK_DIR", options.dataDir().resolve("worker-work").toString());
        environment.put("ADAPTERHUB_GATEWAY_CACHE_DIR", options.dataDir().resolve("gateway-cache").toString());
        keys = LocalKeys.load(options.dataDir());
        for (KnownService service : KnownService.ALL) {
            Path jar = service.runnerJar(options.servicesDir());
            if (!Files.isRegularFile(jar)) {
                OUT.println("[local-stack] " + service.name() + ": not built (no " + options.servicesDir().relativize(jar)
                        + "), skipped");
                continue;
            }
            Map<String, String> own = new LinkedHashMap<>(environment);
            own.putAll(service.module().equals("registry-service") ? keys.registryEnvironment()
                    : keys.clientEnvironment(service.module()));
            ServiceProcess process = ServiceProcess.start(service, jar, own, options.dataDir());
            services.add(process);
            OUT.println("[local-stack] " + service.name() + ": started (pid " + process.process().pid() + ", log "
                    + process.logFile() + ")");
        }
        for (ServiceProcess process : List.copyOf(services)) {
            process.awaitReady(options.readyTimeout());
            OUT.println("[local-stack] " + process.service().name() + ": ready in " + process.millisSinceStart() + " ms");
            watchForUnexpectedExit(process);
            if (process.service().module().equals("registry-service")) {
                keys.ensureTeamKey(process.service().baseUrl() + process.service().apiBasePath());
            }
        }
        long servicesMillis = (System.nanoTime() - servicesBegin) / 1_000_000;
        printSummary(servicesMillis);
    }

    private void watchForUnexpectedExit(ServiceProcess process) {
        process.process().onExit().thenAccept(exited -> {
            if (!stopping) {
                System.err.println("[local-stack] " + process.service().name() + " exited unexpectedly with status "
                        + exited.exitValue() + "; see " + process.logFile());
            }
        });
    }

    private void printSummary(long servicesMillis) {
        PostgresServer postgres = backends.postgres();
        S3Server s3 = backends.s3();
        StringBuilder text = new StringBuilder();
        text.append("\n==================== AdapterHub local stack is up ====================\n");
        text.append(String.format("Backends ready in %d ms, services in %d ms%n%n",
                backends.startupMillis().get("total"), servicesMillis));
        text.append("Backends\n");
        text.append(String.format("  PostgreSQL  %s  (user %s, password %s)%n",
                postgres.jdbcUrl(), postgres.username(), postgres.password()));
        text.append(String.format("  Kafka       %s%n", backends.kafka().bootstrapServers()));
        text.append(String.format("  S3          %s  (access key %s, secret key %s, region %s)%n",
                s3.endpoint(), s3.accessKey(), s3.secretKey(), s3.region()));
        text.append("\nServices\n");
        if (services.isEmpty()) {
            text.append("  none built yet: run ./mvnw -B package -DskipTests, then start again\n");
        }
        for (ServiceProcess process : List.copyOf(services)) {
            String base = process.service().baseUrl();
            text.append(String.format("  %s%n", process.service().name()));
            if (process.service().hasApi()) {
                text.append(String.format("    API         %s%s%n", base, process.service().apiBasePath()));
                if (process.service().module().equals("registry-service")) {
                    text.append(String.format("    Swagger UI  %s/q/swagger-ui%n", base));
                }
                text.append(String.format("    Metrics     %s/q/metrics%n", base));
            }
            text.append(String.format("    Health      %s/q/health%n", base));
            if (process.service().module().equals("serving-gateway")) {
                text.append(String.format("    Admin API   %s/admin/v1 (the platform admin key)%n", base));
            }
            text.append(String.format("    Log         %s%n", process.logFile()));
        }
        text.append("\nKeys (every API needs 'Authorization: Bearer <key>'; `source ").append(keys.file())
                .append("` sets them)\n");
        text.append(String.format("  %-16s %s%n", "platform admin", keys.admin()));
        if (keys.team() != null) {
            text.append(String.format("  %-16s %s%n", "team " + LocalKeys.TEAM + " admin", keys.team()));
        }
        text.append("\nData is kept in ").append(options.dataDir()).append(" across restarts. Press Ctrl-C to stop.\n");
        text.append("======================================================================\n");
        OUT.print(text);
        OUT.flush();
    }

    /** Shutdown hook: services first (they use the backends), then the backends. */
    private void stopAll() {
        stopping = true;
        OUT.println();
        OUT.println("[local-stack] stopping ...");
        List<ServiceProcess> started = new ArrayList<>(services);
        Collections.reverse(started);
        for (ServiceProcess process : started) {
            OUT.println("[local-stack] " + process.stop());
        }
        LocalBackends running = backends;
        if (running != null) {
            try {
                running.close();
                OUT.println("[local-stack] S3, Kafka and PostgreSQL stopped");
            } catch (RuntimeException e) {
                System.err.println("[local-stack] a backend did not stop cleanly: " + e);
            }
        }
        OUT.flush();
    }
}
