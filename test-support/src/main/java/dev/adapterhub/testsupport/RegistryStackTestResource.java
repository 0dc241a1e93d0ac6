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

    private static final OncePerJvm<RegistryStack> STACK = new OncePerJvm<>("registry stack",
            "@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)");

    @Override
    public Map<String, String> start() {
        RegistryStack stack = STACK.startOnce(RegistryStack::start);
        Map<String, String> config = new LinkedHashMap<>(stack.serviceProperties());
        config.put("quarkus.devservices.enabled", "false");
        config.putAll(EmbeddedServerLogs.quarkusLogLevels());
        config.putAll(TestKeys.properties());
        return config;
    }

    @Override
    public void stop() {
        STACK.stop();
    }

    /** The running stack, for tests that call the registry or a backend directly. */
    public static RegistryStack stack() {
        return STACK.current();
    }

    /** Shorthand for {@code stack().registryApiUrl()}. */
    public static String registryUrl() {
        return stack().registryApiUrl();
    }
}
