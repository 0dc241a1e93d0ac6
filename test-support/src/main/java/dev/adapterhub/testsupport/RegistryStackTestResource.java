package dev.adapterhub.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link BackendsTestResource}'s counterpart for services that need a running registry-service: starts one
 * {@link RegistryStack} per test JVM and gives the application under test the backends' properties plus
 * {@code adapterhub.registry.url}.
 *
 * <p>Declare it identically on every test class of the module:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
 * }</pre>
 *
 * <p>The registry runs from {@code registry-service/target/quarkus-app/quarkus-run.jar}: the test module must
 * depend on {@code registry-service} (test scope, {@code <type>pom</type>}) so that the reactor packages the
 * registry first.
 */
public class RegistryStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static RegistryStack running;
    private static boolean shutdownHookAdded;

    @Override
    public Map<String, String> start() {
        RegistryStack stack = startOnce();
        Map<String, String> config = new LinkedHashMap<>(stack.serviceProperties());
        config.put("quarkus.devservices.enabled", "false");
        config.putAll(EmbeddedServerLogs.quarkusLogLevels());
        return config;
    }

    @Override
    public void stop() {
        stopRunning();
    }

    /** The running stack, for tests that call the registry or a backend directly. */
    public static RegistryStack stack() {
        synchronized (RegistryStackTestResource.class) {
            if (running == null) {
                throw new IllegalStateException("The registry stack is not running: declare @WithTestResource("
                        + "value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL) on the test class");
            }
            return running;
        }
    }

    /** Shorthand for {@code stack().registryApiUrl()}. */
    public static String registryUrl() {
        return stack().registryApiUrl();
    }

    private static RegistryStack startOnce() {
        synchronized (RegistryStackTestResource.class) {
            if (running == null) {
                EmbeddedServerLogs.quiet();
                running = RegistryStack.start();
                if (!shutdownHookAdded) {
                    // PostgreSQL and the registry are separate processes: stop them even without stop().
                    Runtime.getRuntime().addShutdownHook(new Thread(RegistryStackTestResource::stopRunning,
                            "adapterhub-registry-stack-shutdown"));
                    shutdownHookAdded = true;
                }
            }
            return running;
        }
    }

    private static void stopRunning() {
        synchronized (RegistryStackTestResource.class) {
            if (running != null) {
                try {
                    running.close();
                } finally {
                    running = null;
                }
            }
        }
    }
}
