package dev.adapterhub.testsupport;

import dev.adapterhub.localstack.LocalBackends;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the real backends (PostgreSQL, Kafka, S3-compatible store from {@code local-stack}) for
 * {@code @QuarkusTest}s and points the application at them.
 *
 * <p>Declare it <b>identically on every test class</b> of a module, so that Quarkus starts the backends and the
 * application once for the whole test run instead of once per class:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
 * class AdapterResourceTest { ... }
 * }</pre>
 *
 * <p>The application receives {@link LocalBackends#serviceProperties()} (datasource, Kafka bootstrap servers,
 * {@code adapterhub.storage.*}), {@code quarkus.devservices.enabled=false} and WARN log levels for the embedded
 * servers' own loggers. Dev Services are also switched off by this jar's
 * {@code META-INF/microprofile-config.properties}, because Quarkus decides about them while building the test
 * application, before any test resource starts (keep {@code quarkus.devservices.enabled=false} in the service's
 * {@code application.properties} as well). Tests that need a backend directly read the same
 * values from the application's configuration (e.g. {@code @ConfigProperty(name = "kafka.bootstrap.servers")}) or
 * call {@link #backends()}.
 *
 * <p>Data lives in a fresh directory under {@code java.io.tmpdir} (the build's {@code target/} under the parent
 * POM's surefire configuration) and is thrown away; the servers run with crash-safety off for speed.
 */
public class BackendsTestResource implements QuarkusTestResourceLifecycleManager {

    private static final OncePerJvm<LocalBackends> BACKENDS = new OncePerJvm<>("test backends",
            "@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)");

    @Override
    public Map<String, String> start() {
        LocalBackends backends = BACKENDS.startOnce(() -> LocalBackends.start(newDataDirectory()));
        Map<String, String> config = new LinkedHashMap<>(backends.serviceProperties());
        config.put("quarkus.devservices.enabled", "false");
        config.putAll(EmbeddedServerLogs.quarkusLogLevels());
        config.putAll(TestKeys.properties());
        return config;
    }

    @Override
    public void stop() {
        BACKENDS.stop();
    }

    /** The running backends, for tests that talk to PostgreSQL, Kafka or S3 directly. */
    public static LocalBackends backends() {
        return BACKENDS.current();
    }

    private static Path newDataDirectory() {
        try {
            return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "adapterhub-backends-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a data directory for the test backends", e);
        }
    }
}
