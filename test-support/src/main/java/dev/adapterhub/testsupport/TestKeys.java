package dev.adapterhub.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry's service-account keys in tests (issue 11): fixed, test-only values, so that every module's tests
 * and the registries they start agree on them. Never used outside tests; the local stack and Helm make their own.
 *
 * <p>The test resources hand them to the application under test as {@code test-keys.<account>}; a
 * module's {@code application.properties} picks its own, e.g.
 * {@code %test.adapterhub.registry.api-key=${test-keys.worker}}.
 */
public final class TestKeys {

    public static final String ADMIN = "ahk_testadmin000_" + "a".repeat(43);
    public static final String WORKER = "ahk_testworker00_" + "w".repeat(43);
    public static final String GATEWAY = "ahk_testgateway0_" + "g".repeat(43);
    public static final String TRANSFER = "ahk_testtransfer_" + "t".repeat(43);

    private TestKeys() {
    }

    /** {@code test-keys.<account>} for every account. */
    public static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("test-keys.admin", ADMIN);
        properties.put("test-keys.worker", WORKER);
        properties.put("test-keys.gateway", GATEWAY);
        properties.put("test-keys.transfer", TRANSFER);
        return properties;
    }

    /** A test-only key that encrypts webhook secrets (base64 of 32 bytes). */
    public static final String WEBHOOK_ENCRYPTION = "dGVzdC1vbmx5LWtleS1mb3Itd2ViaG9vay1zZWNyZXQ=";

    /**
     * What a registry started as a child process needs to accept the keys, and to deliver webhooks to receivers the
     * tests run on {@code localhost}.
     */
    public static Map<String, String> registryEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEYS", WEBHOOK_ENCRYPTION);
        environment.put("ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS", "localhost");
        environment.put("ADAPTERHUB_SECURITY_ADMIN_KEYS", ADMIN);
        environment.put("ADAPTERHUB_SECURITY_WORKER_KEYS", WORKER);
        environment.put("ADAPTERHUB_SECURITY_GATEWAY_KEYS", GATEWAY);
        environment.put("ADAPTERHUB_SECURITY_TRANSFER_KEYS", TRANSFER);
        return environment;
    }
}
