package dev.adapterhub.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * An AdapterHub service the launcher can run: its Maven module, HTTP port and API base path ({@code ""} for a
 * service without a user-facing API, such as the training worker).
 *
 * <p>{@link #ALL} is the one table of services; add a row when a service works end to end.
 */
public record KnownService(String name, String module, int port, String apiBasePath) {

    public static final List<KnownService> ALL = List.of(
            new KnownService("registry-service", "registry-service", 8080, "/api/v1"),
            new KnownService("training-worker", "training-worker", 8081, ""),
            new KnownService("serving-gateway", "serving-gateway", 8000, "/v1"),
            new KnownService("transfer-service", "transfer-service", 8082, "/api/v1/transfers"));

    /** The registry's REST base, which the other services are given as {@code adapterhub.registry.url}. */
    public static String registryApiUrl() {
        KnownService registry = ALL.get(0);
        return registry.baseUrl() + registry.apiBasePath();
    }

    public boolean hasApi() {
        return !apiBasePath.isEmpty();
    }

    /** Where {@code mvn package} leaves the service's runnable Quarkus application. */
    public Path runnerJar(Path servicesDir) {
        return servicesDir.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    public String baseUrl() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }
}
