package dev.adapterhub.testsupport;

import dev.adapterhub.localstack.KnownService;
import dev.adapterhub.localstack.LocalBackends;
import dev.adapterhub.localstack.Ports;
import dev.adapterhub.localstack.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real backends plus registry-service running as a child process (its built {@code quarkus-run.jar}, prod
 * mode), for tests of the services that talk to the registry over HTTP: training-worker and serving-gateway.
 *
 * <p>The registry runs with test timings (5 s job lease, 1 s lease reaper and outbox relay) so that crash
 * recovery is observable within a test.
 */
public final class RegistryStack implements AutoCloseable {

    /** Registry settings that make lease expiry and event delivery fast enough to watch in a test. */
    public static final Map<String, String> TEST_REGISTRY_ENVIRONMENT = Map.of(
            "ADAPTERHUB_JOBS_LEASE_DURATION", "PT5S",
            "ADAPTERHUB_JOBS_LEASE_CHECK_INTERVAL", "1s",
            "ADAPTERHUB_EVENTS_RELAY_INTERVAL", "1s",
            "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "64M");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final LocalBackends backends;
    private final Map<String, String> registryEnvironment;
    private volatile ServiceProcess registry;

    private RegistryStack(Path dataDir, LocalBackends backends, Map<String, String> registryEnvironment,
                          ServiceProcess registry) {
        this.dataDir = dataDir;
        this.backends = backends;
        this.registryEnvironment = registryEnvironment;
        this.registry = registry;
    }

    /** Starts backends and registry in a fresh directory under {@code java.io.tmpdir}; returns when ready. */
    public static RegistryStack start() {
        return start(Map.of());
    }

    /** The same, with registry settings of the caller's beside the test ones (e.g. a fault suite's limits). */
    public static RegistryStack start(Map<String, String> registrySettings) {
        Path dataDir = newDataDirectory();
        LocalBackends backends = LocalBackends.start(dataDir);
        try {
            KnownService service = new KnownService("registry-service", "registry-service", Ports.free(), "/api/v1");
            Map<String, String> environment = new LinkedHashMap<>(backends.environment());
            environment.putAll(TEST_REGISTRY_ENVIRONMENT);
            environment.putAll(TestKeys.registryEnvironment());
            // its own spool for multipart parts, so that what one registry leaves behind is its own
            environment.put("QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY", dataDir.resolve("uploads").toString());
            environment.putAll(registrySettings);
            ServiceProcess registry = startRegistry(service, environment, dataDir);
            System.out.println("[registry-stack] registry-service ready at " + service.baseUrl() + " (log "
                    + registry.logFile() + ")");
            return new RegistryStack(dataDir, backends, environment, registry);
        } catch (IOException e) {
            backends.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            backends.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting registry-service", e);
        } catch (RuntimeException e) {
            backends.close();
            throw e;
        }
    }

    /** The registry's REST base, e.g. {@code http://127.0.0.1:41234/api/v1}. */
    public String registryApiUrl() {
        return registry.service().baseUrl() + registry.service().apiBasePath();
    }

    /** The registry's root URL (health, OpenAPI), e.g. {@code http://127.0.0.1:41234}. */
    public String registryBaseUrl() {
        return registry.service().baseUrl();
    }

    /** Kills the registry process (SIGKILL: no shutdown hooks, no graceful drain), as a crash would. */
    public void killRegistry() throws InterruptedException {
        registry.kill();
    }

    /** Starts the registry again on the same port with the same settings; returns when it is ready. */
    public void restartRegistry() throws Exception {
        registry = startRegistry(registry.service(), registryEnvironment, dataDir);
    }

    private static ServiceProcess startRegistry(KnownService service, Map<String, String> environment, Path dataDir)
            throws IOException, InterruptedException {
        ServiceProcess registry = ServiceProcess.start(service, ServiceJars.runnerJar("registry-service"),
                environment, dataDir);
        try {
            registry.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            registry.stop();
            throw e;
        }
        return registry;
    }

    public LocalBackends backends() {
        return backends;
    }

    /** Directory of this stack's data and of the child processes' logs ({@code logs/}). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Configuration for a service under test: the backends' properties plus {@code adapterhub.registry.url} (the
     * registry's REST base).
     */
    public Map<String, String> serviceProperties() {
        Map<String, String> properties = new LinkedHashMap<>(backends.serviceProperties());
        properties.put("adapterhub.registry.url", registryApiUrl());
        return properties;
    }

    /**
     * The same as environment variables, for a service started as a child process, with the key of the service
     * account it calls the registry as (one of {@link TestKeys}).
     */
    public Map<String, String> environment(String registryApiKey) {
        Map<String, String> environment = new LinkedHashMap<>(backends.environment());
        environment.put("ADAPTERHUB_REGISTRY_URL", registryApiUrl());
        environment.put("ADAPTERHUB_REGISTRY_API_KEY", registryApiKey);
        return environment;
    }

    @Override
    public void close() {
        try {
            System.out.println("[registry-stack] " + registry.stop());
        } finally {
            backends.close();
        }
    }

    private static Path newDataDirectory() {
        try {
            return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "adapterhub-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a data directory for the registry stack", e);
        }
    }
}
