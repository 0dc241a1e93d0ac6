package dev.adapterhub.helm;

import static dev.adapterhub.helm.ChartRenderer.AUTH_SECRET;
import static dev.adapterhub.helm.ChartRenderer.configChecksum;
import static dev.adapterhub.helm.ChartRenderer.selects;
import static dev.adapterhub.helm.ChartRenderer.NAMESPACE;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving-gateway Deployment and Service: wiring, registry key, admin API switch, pod, scheduling, schema, NOTES. */
class ServingGatewayTemplateTest {

    private static final String GATEWAY = "serving-gateway";
    private static final String FULLNAME = "hub-adapterhub-serving-gateway";
    private static final String REGISTRY = "hub-adapterhub-registry-service";
    private static final String ADMIN_ENABLED = "ADAPTERHUB_GATEWAY_ADMIN_ENABLED";
    private static final String API_KEY_ENV = "ADAPTERHUB_REGISTRY_API_KEY";

    @TempDir
    Path tmp;

    @Test
    void byDefaultTheGatewayIsWiredToThisReleasesRegistryAndKafkaOnly() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode deployment = manifests.deployment(GATEWAY);
        assertEquals(FULLNAME, deployment.at("/metadata/name").asText());
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");
        assertEquals("http://" + REGISTRY + ":8080/api/v1", config.path("ADAPTERHUB_REGISTRY_URL").asText());
        assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092", config.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        assertEquals("8000", config.path("QUARKUS_HTTP_PORT").asText());
        assertEquals("auto", config.path("ADAPTERHUB_GATEWAY_RUNTIME_DEVICE").asText());
        assertEquals("auto", config.path("ADAPTERHUB_GATEWAY_RUNTIME_DTYPE").asText());
        assertEquals("0", config.path("ADAPTERHUB_GATEWAY_RUNTIME_THREADS").asText());
        assertEquals("OFF", config.path("ADAPTERHUB_GATEWAY_RUNTIME_LORA_FUSION").asText());
        assertEquals("true", config.path("ADAPTERHUB_GATEWAY_RUNTIME_COMPILED_STEPS").asText());
        // A 1 GiB default must reach the gateway as an integer, not as Helm's float rendering 1.073741824e+09.
        assertEquals("1073741824", config.path("ADAPTERHUB_GATEWAY_CACHE_MAX_BYTES").asText());
        assertEquals("32", config.path("ADAPTERHUB_GATEWAY_CACHE_MAX_ADAPTERS").asText());
        assertEquals("production", config.path("ADAPTERHUB_GATEWAY_DEFAULT_ALIAS").asText());
        assertEquals("true", config.path("DJL_OFFLINE").asText());
        assertEquals("true", config.path(ADMIN_ENABLED).asText());
        // Empty means "all base models": the key is left out rather than set to an empty list.
        assertTrue(config.path("ADAPTERHUB_GATEWAY_SERVED_BASE_MODELS").isMissingNode());

        // Every ConfigMap key reaches the container through a configMapKeyRef, and nothing else is plain.
        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode ref = manifests.env(GATEWAY, key).at("/valueFrom/configMapKeyRef");
            assertEquals(FULLNAME, ref.path("name").asText(), key);
            assertEquals(key, ref.path("key").asText(), key);
        }
        // Besides the ConfigMap keys, only the gateway's own registry key, from the auth Secret.
        assertEquals(keys.size() + 1, manifests.container(GATEWAY).path("env").size());
        JsonNode apiKey = manifests.env(GATEWAY, API_KEY_ENV).at("/valueFrom/secretKeyRef");
        assertEquals(AUTH_SECRET, apiKey.path("name").asText());
        assertEquals("gateway-key", apiKey.path("key").asText());

        // The gateway reads adapters through the registry: no database, no S3 settings or credentials.
        String env = manifests.container(GATEWAY).path("env").toString() + config;
        for (String forbidden : List.of("QUARKUS_DATASOURCE", "ADAPTERHUB_STORAGE", "s3-", "db-password")) {
            assertFalse(env.contains(forbidden), forbidden + " in " + env);
        }
        assertEquals("adapterhub/serving-gateway:0.1.0-SNAPSHOT", manifests.container(GATEWAY).path("image").asText());
    }

    @Test
    void theAdminApiIsOnByDefaultAndNeedsNoTokenOfItsOwn() {
        Manifests manifests = template(minimalValues(), tmp);

        // The admin API trusts the registry's platform admin: no shared admin token, no admin Secret.
        assertTrue(manifests.env(GATEWAY, "ADAPTERHUB_GATEWAY_ADMIN_TOKEN").isMissingNode());
        assertEquals(List.of("hub-adapterhub-credentials"), manifests.ofKind("Secret").stream()
                .map(o -> o.at("/metadata/name").asText()).toList());
        assertEquals(ADMIN_ENABLED, manifests.env(GATEWAY, ADMIN_ENABLED).at("/valueFrom/configMapKeyRef/key")
                .asText());
        assertEquals("true", manifests.named("ConfigMap", FULLNAME).at("/data/" + ADMIN_ENABLED).asText());
        String text = templateText(minimalValues(), tmp);
        assertFalse(text.contains("admin-token"), text);
        assertFalse(text.contains("ADMIN_TOKEN"), text);
        assertTrue(annotations(manifests).path("checksum/admin").isMissingNode());
    }

    @Test
    void disablingTheAdminApiReachesTheGatewayAndRollsIt() {
        Manifests on = template(minimalValues(), tmp);
        Manifests off = template(with(minimalValues(), "servingGateway.admin.enabled", false), tmp);

        assertEquals("false", off.named("ConfigMap", FULLNAME).at("/data/" + ADMIN_ENABLED).asText());
        assertNotEquals(configChecksum(on, GATEWAY), configChecksum(off, GATEWAY));
        // The gateway still calls the registry with its own key.
        assertEquals("gateway-key", off.env(GATEWAY, API_KEY_ENV).at("/valueFrom/secretKeyRef/key").asText());
    }

    @Test
    void theRemovedAdminTokenValuesAreRefused() {
        assertSchemaRejects(with(minimalValues(), "servingGateway.admin.token", "plain"), "token");
        assertSchemaRejects(with(minimalValues(), "servingGateway.admin.existingSecret", "gw-admin"),
                "existingSecret");
        assertSchemaRejects(with(minimalValues(), "servingGateway.admin.existingSecretTokenKey", "t"),
                "existingSecretTokenKey");
    }

    @Test
    void theGatewayServiceSelectsOnlyGatewayPods() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode service = manifests.named("Service", FULLNAME);
        assertEquals("ClusterIP", service.at("/spec/type").asText());
        assertEquals(8000, service.at("/spec/ports/0/port").asInt());
        assertEquals("http", service.at("/spec/ports/0/name").asText());
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        JsonNode selector = service.at("/spec/selector");
        assertEquals(GATEWAY, selector.path("app.kubernetes.io/component").asText());
        for (String component : List.of(GATEWAY, "registry-service", "training-worker")) {
            JsonNode podLabels = manifests.deployment(component).at("/spec/template/metadata/labels");
            assertEquals(component.equals(GATEWAY), selects(selector, podLabels), component);
            JsonNode registrySelector = manifests.named("Service", REGISTRY).at("/spec/selector");
            assertEquals(component.equals("registry-service"), selects(registrySelector, podLabels), component);
        }
    }

    @Test
    void gatewayPodIsRestrictedProbedScrapedAndWritesOnlyToItsVolumes() {
        Manifests manifests = template(minimalValues(), tmp);
        JsonNode pod = manifests.deployment(GATEWAY).at("/spec/template/spec");
        JsonNode container = manifests.container(GATEWAY);

        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertEquals(185, pod.at("/securityContext/fsGroup").asInt());
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", security.at("/capabilities/drop/0").asText());
        assertFalse(security.has("enabled"));
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
        assertEquals(FULLNAME, pod.path("serviceAccountName").asText());
        assertFalse(manifests.named("ServiceAccount", FULLNAME).path("automountServiceAccountToken").asBoolean(true));

        assertEquals(8000, container.at("/ports/0/containerPort").asInt());
        assertEquals("http", container.at("/ports/0/name").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("http", container.at("/livenessProbe/httpGet/port").asText());
        assertFalse(container.at("/readinessProbe/enabled").isBoolean());

        JsonNode annotations = annotations(manifests);
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("8000", annotations.path("prometheus.io/port").asText());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
        assertFalse(annotations.path("checksum/config").asText().isEmpty());
        // The admin API has no token of its own, so nothing to check-sum.
        assertTrue(annotations.path("checksum/admin").isMissingNode());

        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.contains("/tmp"), mounts.toString());
        for (String key : List.of("ADAPTERHUB_GATEWAY_CACHE_DIR", "DJL_CACHE_DIR")) {
            String dir = config.path(key).asText();
            assertTrue(mounts.stream().anyMatch(m -> !m.equals("/tmp") && dir.startsWith(m + "/")),
                    key + "=" + dir + " is on no volume " + mounts);
        }
        pod.path("volumes").forEach(v -> assertTrue(v.path("emptyDir").isObject(), v.toString()));
        assertEquals(2, pod.path("volumes").size());

        Manifests unscraped = template(with(minimalValues(), "servingGateway.metrics.annotations", false), tmp);
        assertTrue(annotations(unscraped).path("prometheus.io/scrape").isMissingNode());
    }

    @Test
    void gpuSchedulingRuntimeAndCacheOptionsReachThePod() {
        Map<String, Object> values = with(minimalValues(), "servingGateway.replicaCount", 3);
        values = with(values, "servingGateway.runtime.device", "gpu");
        values = with(values, "servingGateway.runtime.dtype", "float16");
        values = with(values, "servingGateway.runtime.threads", 4);
        values = with(values, "servingGateway.runtime.maxBatchSize", 16);
        values = with(values, "servingGateway.runtime.loraFusion", "AUTO");
        values = with(values, "servingGateway.runtime.compiledSteps", false);
        values = with(values, "servingGateway.adapterCache.maxBytes", 8589934592L);
        values = with(values, "servingGateway.servedBaseModels", List.of("llama-3-8b", "tiny@r1"));
        values = with(values, "servingGateway.nodeSelector", Map.of("nvidia.com/gpu.present", "true"));
        values = with(values, "servingGateway.tolerations", List.of(Map.of("key", "nvidia.com/gpu",
                "operator", "Exists", "effect", "NoSchedule")));
        values = with(values, "servingGateway.affinity", Map.of("podAntiAffinity", Map.of(
                "preferredDuringSchedulingIgnoredDuringExecution", List.of(Map.of("weight", 70,
                        "podAffinityTerm", Map.of("topologyKey", "kubernetes.io/hostname"))))));
        values = with(values, "servingGateway.resources", Map.of("limits", Map.of("nvidia.com/gpu", 1,
                "memory", "48Gi")));
        values = with(values, "servingGateway.extraEnvVars", List.of(Map.of("name",
                "ADAPTERHUB_GATEWAY_RESOLVE_TTL", "value", "PT5S")));
        values = with(values, "servingGateway.cache.existingClaim", "gateway-cache");
        values = with(values, "servingGateway.tmpVolume.sizeLimit", "2Gi");
        values = with(values, "servingGateway.registryUrl", "https://registry.example.com/api/v1");
        values = with(values, "servingGateway.updateStrategy", Map.of("type", "RollingUpdate",
                "rollingUpdate", Map.of("maxSurge", 0, "maxUnavailable", 1)));
        values = with(values, "servingGateway.image.digest", "sha256:" + "ab".repeat(32));
        values = with(values, "global.imageRegistry", "registry.example.com");

        Manifests manifests = template(values, tmp);
        JsonNode deployment = manifests.deployment(GATEWAY);
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");

        assertEquals(3, deployment.at("/spec/replicas").asInt());
        assertEquals(0, deployment.at("/spec/strategy/rollingUpdate/maxSurge").asInt(-1));
        assertEquals("gpu", config.path("ADAPTERHUB_GATEWAY_RUNTIME_DEVICE").asText());
        assertEquals("float16", config.path("ADAPTERHUB_GATEWAY_RUNTIME_DTYPE").asText());
        assertEquals("4", config.path("ADAPTERHUB_GATEWAY_RUNTIME_THREADS").asText());
        assertEquals("16", config.path("ADAPTERHUB_GATEWAY_RUNTIME_MAX_BATCH_SIZE").asText());
        assertEquals("AUTO", config.path("ADAPTERHUB_GATEWAY_RUNTIME_LORA_FUSION").asText());
        assertEquals("false", config.path("ADAPTERHUB_GATEWAY_RUNTIME_COMPILED_STEPS").asText());
        assertEquals("8589934592", config.path("ADAPTERHUB_GATEWAY_CACHE_MAX_BYTES").asText());
        assertEquals("llama-3-8b,tiny@r1", config.path("ADAPTERHUB_GATEWAY_SERVED_BASE_MODELS").asText());
        assertEquals("ADAPTERHUB_GATEWAY_SERVED_BASE_MODELS", manifests.env(GATEWAY,
                "ADAPTERHUB_GATEWAY_SERVED_BASE_MODELS").at("/valueFrom/configMapKeyRef/key").asText());
        assertEquals("https://registry.example.com/api/v1", config.path("ADAPTERHUB_REGISTRY_URL").asText());
        assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText());
        assertEquals("nvidia.com/gpu", pod.at("/tolerations/0/key").asText());
        assertEquals(70, pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight")
                .asInt());
        JsonNode container = manifests.container(GATEWAY);
        assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt());
        assertEquals("PT5S", manifests.env(GATEWAY, "ADAPTERHUB_GATEWAY_RESOLVE_TTL").path("value").asText());
        assertEquals("registry.example.com/adapterhub/serving-gateway@sha256:" + "ab".repeat(32),
                container.path("image").asText());
        assertEquals("gateway-cache", volume(pod, "cache").at("/persistentVolumeClaim/claimName").asText());
        assertTrue(volume(pod, "cache").path("emptyDir").isMissingNode());
        assertEquals("2Gi", volume(pod, "tmp").at("/emptyDir/sizeLimit").asText());

        // The other components are not touched by the gateway's scheduling values.
        for (String other : List.of("registry-service", "training-worker")) {
            assertTrue(manifests.deployment(other).at("/spec/template/spec/nodeSelector").isMissingNode(), other);
        }
    }

    @Test
    void changingTheGatewayConfigurationRollsOnlyTheGateway() {
        Manifests before = template(minimalValues(), tmp);
        Manifests after = template(with(minimalValues(), "servingGateway.runtime.device", "cpu"), tmp);

        assertNotEquals(configChecksum(before, GATEWAY), configChecksum(after, GATEWAY));
        assertEquals(configChecksum(before, "registry-service"), configChecksum(after, "registry-service"));
        assertEquals(configChecksum(before, "training-worker"), configChecksum(after, "training-worker"));
    }

    @Test
    void disabledGatewayRendersNothing() {
        Map<String, Object> values = with(minimalValues(), "servingGateway.enabled", false);
        Manifests manifests = template(values, tmp);

        assertEquals(List.of("ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "Deployment", "Deployment",
                "Secret", "Service", "Service", "ServiceAccount", "ServiceAccount", "ServiceAccount"),
                manifests.kinds());
        assertFalse(templateText(values, tmp).contains(GATEWAY));
    }

    @Test
    void schemaRejectsBadGatewayValues() {
        assertSchemaRejects(with(minimalValues(), "servingGateway.runtime.device", "cuda"), "device");
        assertSchemaRejects(with(minimalValues(), "servingGateway.runtime.loraFusion", "ON"), "loraFusion");
        assertSchemaRejects(with(minimalValues(), "servingGateway.runtime.dtype", "bfloat16"), "dtype");
        assertSchemaRejects(with(minimalValues(), "servingGateway.runtime.threads", -1), "threads");
        assertSchemaRejects(with(minimalValues(), "servingGateway.replicaCount", "two"), "replicaCount");
        assertSchemaRejects(with(minimalValues(), "servingGateway.adapterCache.maxAdapters", 0), "maxAdapters");
        assertSchemaRejects(with(minimalValues(), "servingGateway.admin.enabld", true), "enabld");
        assertSchemaRejects(with(minimalValues(), "servingGateway.admin.enabled", "yes"), "enabled");
        assertSchemaRejects(with(minimalValues(), "servingGateway.enable", true), "enable");
        assertSchemaRejects(with(minimalValues(), "servingGateway.metrics.annotations", "yes"), "annotations");
        assertSchemaRejects(with(minimalValues(), "servingGateway.service.type", "Ingress"), "type");
        assertSchemaRejects(with(minimalValues(), "servingGateway.registryUrl", "registry:8080"), "registryUrl");
        assertSchemaRejects(with(minimalValues(), "servingGateway.requestTimeout", "120s"), "requestTimeout");
        assertSchemaRejects(with(minimalValues(), "servingGateway.servedBaseModels", List.of("a,b")),
                "servedBaseModels");
    }

    @Test
    void notesShowHowToReachTheApiAndTheAdminApi() {
        String notes = notes(minimalValues());
        assertTrue(notes.contains("serving-gateway (adapterhub/serving-gateway:0.1.0-SNAPSHOT), 1 replica(s), device auto"),
                notes);
        assertTrue(notes.contains("port-forward service/" + FULLNAME + " 8000:8000"), notes);
        assertTrue(notes.contains("curl -s $GATEWAY_URL/v1/models -H \"Authorization: Bearer $API_KEY\""), notes);
        assertTrue(notes.contains("a team API key"), notes);
        assertTrue(notes.contains("accepts only the platform admin credential"), notes);
        assertTrue(notes.contains("get secret " + AUTH_SECRET + " -o jsonpath='{.data.admin-keys}' | base64 -d"),
                notes);
        assertTrue(notes.contains("$GATEWAY_URL/admin/v1/cache -H \"Authorization: Bearer $ADMIN_KEY\""), notes);
        assertFalse(notes.contains("admin-token"), notes);
        assertFalse(notes.contains("GATEWAY_TOKEN"), notes);
        assertFalse(notes.contains("servingGateway.admin.token"), notes);

        String disabledAdmin = notes(with(minimalValues(), "servingGateway.admin.enabled", false));
        assertTrue(disabledAdmin.contains("admin API is disabled"), disabledAdmin);
        assertFalse(disabledAdmin.contains("/admin/v1/cache"), disabledAdmin);

        String gpu = notes(with(minimalValues(), "servingGateway.runtime.device", "gpu"));
        assertTrue(gpu.contains("servingGateway.runtime.device is gpu but no nodeSelector"), gpu);
        assertFalse(notes(with(minimalValues(), "servingGateway.enabled", false)).contains(GATEWAY));
    }

    private String notes(Map<String, Object> values) {
        return ChartRenderer.notes(values, NAMESPACE, tmp);
    }

    private void assertSchemaRejects(Map<String, Object> values, String key) {
        ChartRenderer.assertSchemaRejects(values, key, tmp);
    }

    private static JsonNode annotations(Manifests manifests) {
        return manifests.deployment(GATEWAY).at("/spec/template/metadata/annotations");
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + pod.path("volumes"));
    }

}
