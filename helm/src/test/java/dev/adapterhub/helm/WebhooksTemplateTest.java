package dev.adapterhub.helm;

import static dev.adapterhub.helm.ChartRenderer.AUTH_SECRET;
import static dev.adapterhub.helm.ChartRenderer.configChecksum;
import static dev.adapterhub.helm.ChartRenderer.minimalValues;
import static dev.adapterhub.helm.ChartRenderer.template;
import static dev.adapterhub.helm.ChartRenderer.templateText;
import static dev.adapterhub.helm.ChartRenderer.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.helm.ChartRenderer.Manifests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's webhook settings (ADR 0013): the AES-256 encryption keys as an optional {@code secretKeyRef} to
 * {@code webhook-encryption-keys} of {@code auth.existingSecret}, and {@code registryService.webhooks.*} in the
 * registry's ConfigMap, only when set.
 */
class WebhooksTemplateTest {

    private static final String REGISTRY = "registry-service";
    private static final String REGISTRY_CONFIG = "hub-adapterhub-registry-service";
    private static final String ENCRYPTION_KEYS = "ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEYS";
    private static final List<String> TUNING = List.of("ADAPTERHUB_WEBHOOKS_TIMEOUT", "ADAPTERHUB_WEBHOOKS_MAX_AGE",
            "ADAPTERHUB_WEBHOOKS_DISABLE_AFTER_FAILURES", "ADAPTERHUB_WEBHOOKS_SECRET_OVERLAP");

    @TempDir
    Path tmp;

    @Test
    void encryptionKeysComeOptionallyFromTheAuthSecret() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode entry = manifests.env(ENCRYPTION_KEYS);
        assertTrue(entry.path("value").isMissingNode(), entry.toString());
        JsonNode ref = entry.at("/valueFrom/secretKeyRef");
        assertEquals(AUTH_SECRET, ref.path("name").asText(), entry.toString());
        assertEquals("webhook-encryption-keys", ref.path("key").asText(), entry.toString());
        // An operator who wants no webhooks leaves the key out of the Secret; the registry still starts.
        assertTrue(ref.path("optional").isBoolean() && ref.path("optional").asBoolean(), entry.toString());
        // Only the registry gets them, and never as a plain value.
        for (String other : List.of("training-worker", "serving-gateway", "transfer-service")) {
            assertTrue(manifests.env(other, ENCRYPTION_KEYS).isMissingNode(), other);
        }
        for (JsonNode configMap : manifests.ofKind("ConfigMap")) {
            assertFalse(configMap.path("data").toString().contains("ENCRYPTION"), configMap.toString());
        }
    }

    @Test
    void withAuthDisabledTheEncryptionKeysAreReadOnlyWhenTheSecretIsStillGiven() {
        Manifests withSecret = template(with(minimalValues(), "auth.disabled", true), tmp);
        JsonNode ref = withSecret.env(ENCRYPTION_KEYS).at("/valueFrom/secretKeyRef");
        assertEquals(AUTH_SECRET, ref.path("name").asText());
        assertEquals("webhook-encryption-keys", ref.path("key").asText());
        assertTrue(ref.path("optional").asBoolean());

        Map<String, Object> noSecret = with(minimalValues(), "auth", Map.of("disabled", true));
        assertTrue(template(noSecret, tmp).env(ENCRYPTION_KEYS).isMissingNode());
        assertFalse(templateText(noSecret, tmp).contains("webhook-encryption-keys"));
    }

    @Test
    void allowedTargetsAreJoinedWithCommas() {
        JsonNode defaults = template(minimalValues(), tmp).named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertTrue(defaults.path("ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS").isMissingNode(), defaults.toString());

        Map<String, Object> values = with(minimalValues(), "registryService.webhooks.allowedTargets",
                List.of("ci-hooks.tools.svc.cluster.local", "10.42.0.0/16", "fd00::/8"));
        Manifests manifests = template(values, tmp);

        assertEquals("ci-hooks.tools.svc.cluster.local,10.42.0.0/16,fd00::/8",
                manifests.named("ConfigMap", REGISTRY_CONFIG).at("/data/ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS")
                        .asText());
        JsonNode ref = manifests.env("ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS").at("/valueFrom/configMapKeyRef");
        assertEquals(REGISTRY_CONFIG, ref.path("name").asText());
        assertEquals("ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS", ref.path("key").asText());
        assertNotEquals(configChecksum(template(minimalValues(), tmp), REGISTRY), configChecksum(manifests, REGISTRY));
    }

    @Test
    void tuningValuesAreRenderedOnlyWhenSet() {
        Manifests defaults = template(minimalValues(), tmp);
        JsonNode defaultConfig = defaults.named("ConfigMap", REGISTRY_CONFIG).path("data");
        for (String key : TUNING) {
            assertTrue(defaultConfig.path(key).isMissingNode(), key);
            assertTrue(defaults.env(key).isMissingNode(), key);
        }

        Map<String, Object> values = with(minimalValues(), "registryService.webhooks.timeout", "PT5S");
        values = with(values, "registryService.webhooks.maxAge", "P2D");
        values = with(values, "registryService.webhooks.disableAfterFailures", 20);
        values = with(values, "registryService.webhooks.secretOverlap", "PT12H");
        Manifests manifests = template(values, tmp);

        JsonNode config = manifests.named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertEquals("PT5S", config.path("ADAPTERHUB_WEBHOOKS_TIMEOUT").asText());
        assertEquals("P2D", config.path("ADAPTERHUB_WEBHOOKS_MAX_AGE").asText());
        assertTrue(config.path("ADAPTERHUB_WEBHOOKS_DISABLE_AFTER_FAILURES").isTextual());
        assertEquals("20", config.path("ADAPTERHUB_WEBHOOKS_DISABLE_AFTER_FAILURES").asText());
        assertEquals("PT12H", config.path("ADAPTERHUB_WEBHOOKS_SECRET_OVERLAP").asText());
        for (String key : TUNING) {
            assertEquals(key, manifests.env(key).at("/valueFrom/configMapKeyRef/key").asText(), key);
        }

        // One value alone renders only itself; a large integer is not written in scientific notation.
        Manifests one = template(with(minimalValues(), "registryService.webhooks.disableAfterFailures", 1000000),
                tmp);
        JsonNode oneConfig = one.named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertEquals("1000000", oneConfig.path("ADAPTERHUB_WEBHOOKS_DISABLE_AFTER_FAILURES").asText());
        assertEquals(List.of("ADAPTERHUB_WEBHOOKS_DISABLE_AFTER_FAILURES"), webhookKeys(oneConfig));
    }

    @Test
    void schemaRejectsUnknownAndMalformedWebhookValues() {
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.encryptionKeys", "c2VjcmV0"),
                "encryptionKeys");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.allowedTarget", List.of("10.0.0.0/8")),
                "allowedTarget");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.allowedTargets", "10.0.0.0/8"),
                "allowedTargets");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.allowedTargets", List.of("a,b")),
                "allowedTargets");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.allowedTargets", List.of(8)),
                "allowedTargets");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.disableAfterFailures", "50"),
                "disableAfterFailures");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.disableAfterFailures", 2.5),
                "disableAfterFailures");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.disableAfterFailures", 0),
                "disableAfterFailures");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.timeout", "10s"), "timeout");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.maxAge", 86400), "maxAge");
        assertSchemaRejects(with(minimalValues(), "registryService.webhooks.secretOverlap", "24h"), "secretOverlap");
    }

    private void assertSchemaRejects(Map<String, Object> values, String key) {
        ChartRenderer.assertSchemaRejects(values, key, tmp);
    }

    private static List<String> webhookKeys(JsonNode config) {
        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("ADAPTERHUB_WEBHOOKS_")) {
                keys.add(k);
            }
        });
        return keys;
    }
}
