package dev.adapterhub.helm;

import static dev.adapterhub.helm.ChartRenderer.AUTH_SECRET;
import static dev.adapterhub.helm.ChartRenderer.NAMESPACE;
import static dev.adapterhub.helm.ChartRenderer.configChecksum;
import static dev.adapterhub.helm.ChartRenderer.minimalValues;
import static dev.adapterhub.helm.ChartRenderer.template;
import static dev.adapterhub.helm.ChartRenderer.templateText;
import static dev.adapterhub.helm.ChartRenderer.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.helm.ChartRenderer.Manifests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code auth} values (ADR 0012): the refusal to render an open registry by accident, the sandbox switch, the API
 * keys each component reads from {@code auth.existingSecret}, the optional JWT settings, and their schema.
 */
class AuthTemplateTest {

    private static final String REGISTRY = "registry-service";
    private static final String REGISTRY_CONFIG = "hub-adapterhub-registry-service";
    private static final List<String> COMPONENTS = List.of(REGISTRY, "training-worker", "serving-gateway",
            "transfer-service");
    private static final String API_KEY = "ADAPTERHUB_REGISTRY_API_KEY";
    private static final String WEBHOOK_KEYS = "ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEYS";

    @TempDir
    Path tmp;

    @Test
    void withoutAnAuthSecretTheChartRefusesToRender() {
        for (Map<String, Object> values : List.of(with(minimalValues(), "auth", null),
                with(minimalValues(), "auth.existingSecret", ""),
                with(minimalValues(), "auth", Map.of("disabled", false)))) {
            String message = assertThrows(IllegalStateException.class, () -> templateText(values, tmp))
                    .getMessage();

            assertTrue(message.contains("VALUES VALIDATION"), message);
            assertTrue(message.contains("adapterhub: auth.existingSecret"), message);
            assertTrue(message.contains("admin-keys, worker-key,"), message);
            assertTrue(message.contains("auth.disabled=true"), message);
        }
    }

    @Test
    void authDisabledRendersAnOpenRegistryWithoutAnyKey() {
        // An existingSecret given alongside is ignored for the API keys: no API key is rendered (only the optional
        // webhook encryption keys are still read from it, see WebhooksTemplateTest).
        for (Map<String, Object> values : List.of(with(minimalValues(), "auth", Map.of("disabled", true)),
                with(minimalValues(), "auth.disabled", true))) {
            Manifests manifests = template(values, tmp);
            boolean secretGiven = ((Map<?, ?>) values.get("auth")).containsKey("existingSecret");

            JsonNode config = manifests.named("ConfigMap", REGISTRY_CONFIG).path("data");
            assertEquals("false", config.path("ADAPTERHUB_SECURITY_ENABLED").asText());
            assertEquals("ADAPTERHUB_SECURITY_ENABLED", manifests.env("ADAPTERHUB_SECURITY_ENABLED")
                    .at("/valueFrom/configMapKeyRef/key").asText());
            for (String component : COMPONENTS) {
                for (String name : envNames(manifests, component)) {
                    if (name.equals(WEBHOOK_KEYS)) {
                        continue;
                    }
                    assertFalse(name.endsWith("_KEYS") || name.equals(API_KEY) || name.contains("_JWT_"),
                            component + ": " + name);
                }
            }
            String text = templateText(values, tmp);
            for (String key : List.of("admin-keys", "worker-key", "gateway-key", "transfer-key")) {
                assertFalse(text.contains(key), key);
            }
            // The Secret is named only by the optional webhook encryption keys, and only when it is given.
            assertEquals(secretGiven, text.contains(AUTH_SECRET));
            assertEquals(secretGiven, !manifests.env(WEBHOOK_KEYS).isMissingNode());
        }

        String notes = notes(with(minimalValues(), "auth", Map.of("disabled", true)));
        assertTrue(notes.contains("WARNING: AUTHENTICATION IS DISABLED (auth.disabled=true)"), notes);
        assertTrue(notes.contains("OPEN TO ANYONE WHO CAN REACH IT"), notes);
        assertTrue(notes.contains("Auth        DISABLED"), notes);
        assertFalse(notes.contains("admin-keys"), notes);
    }

    @Test
    void everyComponentReadsExactlyItsOwnKeysFromTheAuthSecret() {
        Manifests manifests = template(minimalValues(), tmp);

        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        expected.put(REGISTRY, Map.of("ADAPTERHUB_SECURITY_ADMIN_KEYS", "admin-keys",
                "ADAPTERHUB_SECURITY_WORKER_KEYS", "worker-key",
                "ADAPTERHUB_SECURITY_GATEWAY_KEYS", "gateway-key",
                "ADAPTERHUB_SECURITY_TRANSFER_KEYS", "transfer-key",
                WEBHOOK_KEYS, "webhook-encryption-keys"));
        expected.put("training-worker", Map.of(API_KEY, "worker-key"));
        expected.put("serving-gateway", Map.of(API_KEY, "gateway-key"));
        expected.put("transfer-service", Map.of(API_KEY, "transfer-key"));

        for (var component : expected.entrySet()) {
            Map<String, String> fromAuthSecret = new TreeMap<>();
            for (JsonNode entry : manifests.container(component.getKey()).path("env")) {
                JsonNode ref = entry.at("/valueFrom/secretKeyRef");
                if (AUTH_SECRET.equals(ref.path("name").asText())) {
                    fromAuthSecret.put(entry.path("name").asText(), ref.path("key").asText());
                    // Every component of this release is deployed, so every API key is required; the webhook
                    // encryption keys are always optional.
                    assertEquals(WEBHOOK_KEYS.equals(entry.path("name").asText()),
                            ref.path("optional").asBoolean(false), entry.toString());
                }
            }
            assertEquals(new TreeMap<>(component.getValue()), fromAuthSecret, component.getKey());
        }
        // Keys never become plain values: the ConfigMaps hold no key, and no Secret is made for them.
        for (JsonNode configMap : manifests.ofKind("ConfigMap")) {
            String data = configMap.path("data").toString();
            assertFalse(data.contains("_KEYS") || data.contains(API_KEY), data);
        }
        assertEquals(List.of("hub-adapterhub-credentials"), manifests.ofKind("Secret").stream()
                .map(o -> o.at("/metadata/name").asText()).toList());
        assertEquals("true", manifests.named("ConfigMap", REGISTRY_CONFIG).at("/data/ADAPTERHUB_SECURITY_ENABLED")
                .asText());
    }

    @Test
    void aComponentOutsideThisReleaseLeavesItsKeyOptionalOnTheRegistry() {
        Map<String, Object> values = with(minimalValues(), "trainingWorker.enabled", false);
        values = with(values, "transferService.enabled", false);

        Manifests manifests = template(values, tmp);

        assertTrue(manifests.env("ADAPTERHUB_SECURITY_ADMIN_KEYS").at("/valueFrom/secretKeyRef/optional")
                .isMissingNode());
        assertTrue(manifests.env("ADAPTERHUB_SECURITY_GATEWAY_KEYS").at("/valueFrom/secretKeyRef/optional")
                .isMissingNode());
        for (String name : List.of("ADAPTERHUB_SECURITY_WORKER_KEYS", "ADAPTERHUB_SECURITY_TRANSFER_KEYS")) {
            JsonNode ref = manifests.env(name).at("/valueFrom/secretKeyRef");
            assertEquals(AUTH_SECRET, ref.path("name").asText(), name);
            assertTrue(ref.path("optional").asBoolean(), name);
        }
        assertEquals("gateway-key", manifests.env("serving-gateway", API_KEY).at("/valueFrom/secretKeyRef/key")
                .asText());
    }

    @Test
    void jwtSettingsAppearOnlyWhenAnIssuerIsSet() {
        Manifests plain = template(minimalValues(), tmp);
        JsonNode plainConfig = plain.named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertFalse(plainConfig.toString().contains("JWT"), plainConfig.toString());
        assertEquals(List.of("tmp"), volumeNames(plain));

        // From a Secret: mounted read-only, its file is the key location.
        Map<String, Object> values = with(minimalValues(), "auth.jwt.issuer", "https://idp.example.com/realms/ml");
        values = with(values, "auth.jwt.publicKeysSecret", "idp-jwks");
        values = with(values, "auth.jwt.audience", "adapterhub");
        Manifests fromSecret = template(values, tmp);
        JsonNode config = fromSecret.named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertEquals("https://idp.example.com/realms/ml", config.path("ADAPTERHUB_SECURITY_JWT_ISSUER").asText());
        assertEquals("/etc/adapterhub/jwt/jwks.json",
                config.path("ADAPTERHUB_SECURITY_JWT_PUBLIC_KEY_LOCATION").asText());
        assertEquals("adapterhub", config.path("ADAPTERHUB_SECURITY_JWT_AUDIENCE").asText());
        assertEquals("groups", config.path("ADAPTERHUB_SECURITY_JWT_GROUPS_CLAIM").asText());
        for (String key : List.of("ADAPTERHUB_SECURITY_JWT_ISSUER", "ADAPTERHUB_SECURITY_JWT_PUBLIC_KEY_LOCATION",
                "ADAPTERHUB_SECURITY_JWT_AUDIENCE", "ADAPTERHUB_SECURITY_JWT_GROUPS_CLAIM")) {
            assertEquals(key, fromSecret.env(key).at("/valueFrom/configMapKeyRef/key").asText(), key);
        }
        JsonNode pod = fromSecret.deployment(REGISTRY).at("/spec/template/spec");
        assertEquals("tmp", pod.at("/volumes/0/name").asText());
        JsonNode volume = pod.at("/volumes/1");
        assertEquals("jwt-keys", volume.path("name").asText());
        assertEquals("idp-jwks", volume.at("/secret/secretName").asText());
        assertEquals("jwks.json", volume.at("/secret/items/0/key").asText());
        assertEquals("jwks.json", volume.at("/secret/items/0/path").asText());
        JsonNode mount = fromSecret.container().at("/volumeMounts/1");
        assertEquals("jwt-keys", mount.path("name").asText());
        assertEquals("/etc/adapterhub/jwt", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        assertNotEquals(configChecksum(plain, REGISTRY), configChecksum(fromSecret, REGISTRY));
        // Only the registry verifies JWTs; the other components are untouched.
        for (String other : List.of("training-worker", "serving-gateway", "transfer-service")) {
            assertEquals(configChecksum(plain, other), configChecksum(fromSecret, other), other);
            assertFalse(fromSecret.container(other).toString().contains("jwt"), other);
        }

        // From a URL: no volume, no audience unless set, the groups claim as given.
        values = with(minimalValues(), "auth.jwt.issuer", "https://idp.example.com");
        values = with(values, "auth.jwt.publicKeyUrl", "https://idp.example.com/.well-known/jwks.json");
        values = with(values, "auth.jwt.groupsClaim", "roles");
        Manifests fromUrl = template(values, tmp);
        config = fromUrl.named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertEquals("https://idp.example.com/.well-known/jwks.json",
                config.path("ADAPTERHUB_SECURITY_JWT_PUBLIC_KEY_LOCATION").asText());
        assertEquals("roles", config.path("ADAPTERHUB_SECURITY_JWT_GROUPS_CLAIM").asText());
        assertTrue(config.path("ADAPTERHUB_SECURITY_JWT_AUDIENCE").isMissingNode());
        assertEquals(List.of("tmp"), volumeNames(fromUrl));

        // A custom key name in the Secret is the mounted file's name.
        values = with(minimalValues(), "auth.jwt.issuer", "https://idp.example.com");
        values = with(values, "auth.jwt.publicKeysSecret", "idp-keys");
        values = with(values, "auth.jwt.publicKeysSecretKey", "public.pem");
        Manifests pem = template(values, tmp);
        assertEquals("/etc/adapterhub/jwt/public.pem", pem.named("ConfigMap", REGISTRY_CONFIG)
                .at("/data/ADAPTERHUB_SECURITY_JWT_PUBLIC_KEY_LOCATION").asText());
        assertEquals("public.pem", pem.deployment(REGISTRY).at("/spec/template/spec/volumes/1/secret/items/0/key")
                .asText());

        // With auth disabled nothing of it is rendered.
        Manifests disabled = template(with(values, "auth.disabled", true), tmp);
        assertFalse(disabled.named("ConfigMap", REGISTRY_CONFIG).path("data").toString().contains("JWT"));
        assertEquals(List.of("tmp"), volumeNames(disabled));
    }

    @Test
    void incompleteJwtSettingsAreRefused() {
        Map<String, Object> noKeys = with(minimalValues(), "auth.jwt.issuer", "https://idp.example.com");
        assertRefused(noKeys, "JWTs need the issuer's public keys: set auth.jwt.publicKeysSecret");

        Map<String, Object> noIssuer = with(minimalValues(), "auth.jwt.publicKeysSecret", "idp-jwks");
        assertRefused(noIssuer, "auth.jwt.issuer is empty");
        assertRefused(with(minimalValues(), "auth.jwt.audience", "adapterhub"), "auth.jwt.issuer is empty");

        Map<String, Object> both = with(noKeys, "auth.jwt.publicKeysSecret", "idp-jwks");
        both = with(both, "auth.jwt.publicKeyUrl", "https://idp.example.com/jwks.json");
        assertRefused(both, "Set only one of auth.jwt.publicKeysSecret and auth.jwt.publicKeyUrl");
    }

    @Test
    void registrationPrefixesAndProtectedAliasesReachTheRegistry() {
        JsonNode defaults = template(minimalValues(), tmp).named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertTrue(defaults.path("ADAPTERHUB_SECURITY_REGISTRATION_PREFIXES").isMissingNode());
        assertEquals("production", defaults.path("ADAPTERHUB_SECURITY_PROTECTED_ALIASES").asText());

        Map<String, Object> values = with(minimalValues(), "auth.registrationPrefixes",
                List.of("s3://models/checkpoints/", "s3://shared/base"));
        values = with(values, "auth.protectedAliases", List.of("production", "stable"));
        Manifests manifests = template(values, tmp);
        JsonNode config = manifests.named("ConfigMap", REGISTRY_CONFIG).path("data");
        assertEquals("s3://models/checkpoints/,s3://shared/base",
                config.path("ADAPTERHUB_SECURITY_REGISTRATION_PREFIXES").asText());
        assertEquals("production,stable", config.path("ADAPTERHUB_SECURITY_PROTECTED_ALIASES").asText());
        assertEquals("ADAPTERHUB_SECURITY_REGISTRATION_PREFIXES",
                manifests.env("ADAPTERHUB_SECURITY_REGISTRATION_PREFIXES").at("/valueFrom/configMapKeyRef/key")
                        .asText());
        assertNotEquals(configChecksum(template(minimalValues(), tmp), REGISTRY), configChecksum(manifests, REGISTRY));

        // Permitted registration sources matter to a sandbox too.
        JsonNode sandbox = template(with(values, "auth.disabled", true), tmp).named("ConfigMap", REGISTRY_CONFIG)
                .path("data");
        assertEquals("s3://models/checkpoints/,s3://shared/base",
                sandbox.path("ADAPTERHUB_SECURITY_REGISTRATION_PREFIXES").asText());
    }

    @Test
    void schemaRejectsUnknownAndMalformedAuthValues() {
        // Keys are never plain values.
        assertSchemaRejects(with(minimalValues(), "auth.adminKeys", "ahk_x"), "adminKeys");
        assertSchemaRejects(with(minimalValues(), "auth.workerKey", "ahk_x"), "workerKey");
        assertSchemaRejects(with(minimalValues(), "auth.existingSecrett", "x"), "existingSecrett");
        assertSchemaRejects(with(minimalValues(), "auth.enabled", false), "enabled");
        assertSchemaRejects(with(minimalValues(), "auth.disabled", "yes"), "disabled");
        assertSchemaRejects(with(minimalValues(), "auth.existingSecret", "Auth_Keys"), "existingSecret");
        assertSchemaRejects(with(minimalValues(), "auth.jwt.issuerUrl", "https://idp"), "issuerUrl");
        assertSchemaRejects(with(minimalValues(), "auth.jwt.publicKeyUrl", "http://idp/jwks.json"),
                "publicKeyUrl");
        assertSchemaRejects(with(minimalValues(), "auth.jwt.publicKeysSecretKey", "a/b"), "publicKeysSecretKey");
        assertSchemaRejects(with(minimalValues(), "auth.jwt.groupsClaim", ""), "groupsClaim");
        assertSchemaRejects(with(minimalValues(), "auth.registrationPrefixes", List.of("models/checkpoints/")),
                "registrationPrefixes");
        assertSchemaRejects(with(minimalValues(), "auth.registrationPrefixes", "s3://models/"),
                "registrationPrefixes");
        assertSchemaRejects(with(minimalValues(), "auth.protectedAliases", List.of()), "protectedAliases");
        assertSchemaRejects(with(minimalValues(), "auth.protectedAliases", List.of("a,b")), "protectedAliases");
    }

    @Test
    void notesTellHowToAuthenticate() {
        String notes = notes(minimalValues());

        assertTrue(notes.contains("Auth        API keys from Secret " + AUTH_SECRET), notes);
        assertTrue(notes.contains("every API call needs `Authorization: Bearer <API key or JWT>`"), notes);
        assertTrue(notes.contains("kubectl --namespace " + NAMESPACE + " get secret " + AUTH_SECRET
                + " -o jsonpath='{.data.admin-keys}' | base64 -d"), notes);
        assertTrue(notes.contains("$ADAPTERHUB_URL/api/v1/whoami -H \"Authorization: Bearer $ADMIN_KEY\""), notes);
        assertTrue(notes.contains("/api/v1/teams/TEAM/api-keys"), notes);
        assertFalse(notes.contains("AUTHENTICATION IS DISABLED"), notes);
        assertFalse(notes.contains("auth.disabled=true"), notes);

        String jwt = notes(with(with(minimalValues(), "auth.jwt.issuer", "https://idp.example.com"),
                "auth.jwt.publicKeyUrl", "https://idp.example.com/jwks.json"));
        assertTrue(jwt.contains("JWTs from https://idp.example.com"), jwt);
    }

    private void assertRefused(Map<String, Object> values, String expected) {
        String message = assertThrows(IllegalStateException.class, () -> templateText(values, tmp)).getMessage();
        assertTrue(message.contains("VALUES VALIDATION"), message);
        assertTrue(message.contains(expected), message);
    }

    private void assertSchemaRejects(Map<String, Object> values, String key) {
        ChartRenderer.assertSchemaRejects(values, key, tmp);
    }

    private String notes(Map<String, Object> values) {
        return ChartRenderer.notes(values, NAMESPACE, tmp);
    }

    private static List<String> envNames(Manifests manifests, String component) {
        List<String> names = new ArrayList<>();
        manifests.container(component).path("env").forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    private static List<String> volumeNames(Manifests manifests) {
        List<String> names = new ArrayList<>();
        manifests.deployment(REGISTRY).at("/spec/template/spec/volumes").forEach(v -> names.add(v.path("name")
                .asText()));
        return names;
    }
}
