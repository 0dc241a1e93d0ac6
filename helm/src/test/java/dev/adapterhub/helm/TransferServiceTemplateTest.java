package dev.adapterhub.helm;

import static dev.adapterhub.helm.ChartRenderer.configChecksum;
import static dev.adapterhub.helm.ChartRenderer.selects;
import static dev.adapterhub.helm.ChartRenderer.AUTH_SECRET;
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

/** The transfer-service Deployment and Service: wiring to the registry and Kafka, pod, scheduling, schema, NOTES. */
class TransferServiceTemplateTest {

    private static final String TRANSFER = "transfer-service";
    private static final String FULLNAME = "hub-adapterhub-transfer-service";
    private static final String REGISTRY = "hub-adapterhub-registry-service";
    private static final List<String> CONFIG_KEYS = List.of("QUARKUS_HTTP_PORT", "ADAPTERHUB_REGISTRY_URL",
            "KAFKA_BOOTSTRAP_SERVERS", "ADAPTERHUB_TRANSFER_PRIORITY_ALIASES");

    @TempDir
    Path tmp;

    @Test
    void byDefaultTheTransferServiceIsWiredToThisReleasesRegistryAndKafkaOnly() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode deployment = manifests.deployment(TRANSFER);
        assertEquals(FULLNAME, deployment.at("/metadata/name").asText());
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");
        assertEquals("http://" + REGISTRY + ":8080/api/v1", config.path("ADAPTERHUB_REGISTRY_URL").asText());
        assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092", config.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        assertEquals("8082", config.path("QUARKUS_HTTP_PORT").asText());
        assertEquals("production", config.path("ADAPTERHUB_TRANSFER_PRIORITY_ALIASES").asText());
        assertEquals(CONFIG_KEYS.size(), config.size(), config.toString());

        // Every ConfigMap key reaches the container through a configMapKeyRef; the only other entry is the
        // service's own registry key, from the auth Secret.
        for (String key : CONFIG_KEYS) {
            JsonNode ref = manifests.env(TRANSFER, key).at("/valueFrom/configMapKeyRef");
            assertEquals(FULLNAME, ref.path("name").asText(), key);
            assertEquals(key, ref.path("key").asText(), key);
        }
        assertEquals(CONFIG_KEYS.size() + 1, manifests.container(TRANSFER).path("env").size());
        JsonNode apiKey = manifests.env(TRANSFER, "ADAPTERHUB_REGISTRY_API_KEY").at("/valueFrom/secretKeyRef");
        assertEquals(AUTH_SECRET, apiKey.path("name").asText());
        assertEquals("transfer-key", apiKey.path("key").asText());

        // The service plans registry jobs over REST: no database, no S3 settings or credentials.
        String env = manifests.container(TRANSFER).path("env").toString() + config;
        for (String forbidden : List.of("QUARKUS_DATASOURCE", "ADAPTERHUB_STORAGE", "s3-", "db-password",
                "hub-adapterhub-credentials")) {
            assertFalse(env.contains(forbidden), forbidden + " in " + env);
        }
        assertEquals("adapterhub/transfer-service:0.1.0-SNAPSHOT",
                manifests.container(TRANSFER).path("image").asText());
        assertEquals("100m", manifests.container(TRANSFER).at("/resources/requests/cpu").asText());
        assertEquals("512Mi", manifests.container(TRANSFER).at("/resources/limits/memory").asText());
    }

    @Test
    void priorityAliasesAreJoinedWithCommasInTheirOrder() {
        Map<String, Object> values = with(minimalValues(), "transferService.priorityAliases",
                List.of("production", "staging", "canary"));

        JsonNode config = template(values, tmp).named("ConfigMap", FULLNAME).path("data");

        assertEquals("production,staging,canary", config.path("ADAPTERHUB_TRANSFER_PRIORITY_ALIASES").asText());
    }

    @Test
    void theTransferServiceSelectsOnlyItsOwnPods() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode service = manifests.named("Service", FULLNAME);
        assertEquals("ClusterIP", service.at("/spec/type").asText());
        assertEquals(8082, service.at("/spec/ports/0/port").asInt());
        assertEquals("http", service.at("/spec/ports/0/name").asText());
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        JsonNode selector = service.at("/spec/selector");
        assertEquals(TRANSFER, selector.path("app.kubernetes.io/component").asText());
        for (String component : List.of(TRANSFER, "registry-service", "training-worker", "serving-gateway")) {
            JsonNode podLabels = manifests.deployment(component).at("/spec/template/metadata/labels");
            assertEquals(component.equals(TRANSFER), selects(selector, podLabels), component);
            JsonNode registrySelector = manifests.named("Service", REGISTRY).at("/spec/selector");
            assertEquals(component.equals("registry-service"), selects(registrySelector, podLabels), component);
        }
    }

    @Test
    void transferPodIsRestrictedProbedAndWritesOnlyToTmp() {
        Manifests manifests = template(minimalValues(), tmp);
        JsonNode pod = manifests.deployment(TRANSFER).at("/spec/template/spec");
        JsonNode container = manifests.container(TRANSFER);

        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertEquals(185, pod.at("/securityContext/fsGroup").asInt());
        assertFalse(pod.at("/securityContext/enabled").isBoolean());
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", security.at("/capabilities/drop/0").asText());
        assertEquals("RuntimeDefault", security.at("/seccompProfile/type").asText());
        assertFalse(security.has("enabled"));
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
        assertEquals(FULLNAME, pod.path("serviceAccountName").asText());
        assertFalse(manifests.named("ServiceAccount", FULLNAME).path("automountServiceAccountToken").asBoolean(true));

        assertEquals(8082, container.at("/ports/0/containerPort").asInt());
        assertEquals("http", container.at("/ports/0/name").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("http", container.at("/livenessProbe/httpGet/port").asText());
        assertEquals("http", container.at("/readinessProbe/httpGet/port").asText());
        assertFalse(container.at("/readinessProbe/enabled").isBoolean());
        assertFalse(container.at("/livenessProbe/enabled").isBoolean());

        JsonNode annotations = manifests.deployment(TRANSFER).at("/spec/template/metadata/annotations");
        assertTrue(annotations.path("checksum/config").asText().matches("[0-9a-f]{64}"), annotations.toString());

        // The root filesystem is read-only; /tmp is the only writable place, an emptyDir.
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertEquals(List.of("/tmp"), mounts);
        assertEquals(1, pod.path("volumes").size());
        assertEquals("tmp", pod.at("/volumes/0/name").asText());
        assertTrue(pod.at("/volumes/0/emptyDir").isObject());
    }

    @Test
    void schedulingImageAndRegistryOptionsReachThePod() {
        Map<String, Object> values = with(minimalValues(), "transferService.replicaCount", 2);
        values = with(values, "transferService.registryUrl", "https://registry.example.com/api/v1");
        values = with(values, "transferService.nodeSelector", Map.of("pool", "services"));
        values = with(values, "transferService.tolerations", List.of(Map.of("key", "dedicated",
                "operator", "Exists", "effect", "NoSchedule")));
        values = with(values, "transferService.affinity", Map.of("podAntiAffinity", Map.of(
                "preferredDuringSchedulingIgnoredDuringExecution", List.of(Map.of("weight", 30,
                        "podAffinityTerm", Map.of("topologyKey", "kubernetes.io/hostname"))))));
        values = with(values, "transferService.priorityClassName", "platform");
        values = with(values, "transferService.podLabels", Map.of("team", "ml"));
        values = with(values, "transferService.podAnnotations", Map.of("example.com/owner", "ml"));
        values = with(values, "transferService.extraEnvVars", List.of(Map.of("name",
                "ADAPTERHUB_TRANSFER_RETRY_BACKOFF", "value", "PT10S")));
        values = with(values, "transferService.serviceAccount.name", "transfers");
        values = with(values, "transferService.service.type", "NodePort");
        values = with(values, "transferService.service.nodePorts.http", 30082);
        values = with(values, "transferService.image.digest", "sha256:" + "ef".repeat(32));
        values = with(values, "global.imageRegistry", "registry.example.com");

        Manifests manifests = template(values, tmp);
        JsonNode deployment = manifests.deployment(TRANSFER);
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");

        assertEquals(2, deployment.at("/spec/replicas").asInt());
        assertEquals("https://registry.example.com/api/v1", config.path("ADAPTERHUB_REGISTRY_URL").asText());
        assertEquals("services", pod.at("/nodeSelector/pool").asText());
        assertEquals("dedicated", pod.at("/tolerations/0/key").asText());
        assertEquals(30, pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight")
                .asInt());
        assertEquals("platform", pod.path("priorityClassName").asText());
        assertEquals("ml", deployment.at("/spec/template/metadata/labels/team").asText());
        assertEquals("ml", deployment.at("/spec/template/metadata/annotations/example.com~1owner").asText());
        assertEquals("PT10S", manifests.env(TRANSFER, "ADAPTERHUB_TRANSFER_RETRY_BACKOFF").path("value").asText());
        assertEquals("transfers", pod.path("serviceAccountName").asText());
        assertEquals("transfers", manifests.named("ServiceAccount", "transfers").at("/metadata/name").asText());
        assertEquals(30082, manifests.named("Service", FULLNAME).at("/spec/ports/0/nodePort").asInt());
        assertEquals("registry.example.com/adapterhub/transfer-service@sha256:" + "ef".repeat(32),
                manifests.container(TRANSFER).path("image").asText());

        // The other components are not touched by the transfer service's values.
        for (String other : List.of("registry-service", "training-worker", "serving-gateway")) {
            assertTrue(manifests.deployment(other).at("/spec/template/spec/nodeSelector").isMissingNode(), other);
        }
        assertEquals("http://" + REGISTRY + ":8080/api/v1", manifests.named("ConfigMap",
                "hub-adapterhub-training-worker").at("/data/ADAPTERHUB_REGISTRY_URL").asText());
    }

    @Test
    void theDefaultRegistryUrlFollowsTheRegistryServicePort() {
        Manifests manifests = template(with(minimalValues(), "registryService.service.ports.http", 9090), tmp);

        assertEquals("http://" + REGISTRY + ":9090/api/v1", manifests.named("ConfigMap", FULLNAME)
                .at("/data/ADAPTERHUB_REGISTRY_URL").asText());
    }

    @Test
    void changingTheTransferConfigurationRollsOnlyTheTransferService() {
        Manifests before = template(minimalValues(), tmp);
        Manifests after = template(with(minimalValues(), "transferService.priorityAliases",
                List.of("production", "staging")), tmp);

        assertNotEquals(configChecksum(before, TRANSFER), configChecksum(after, TRANSFER));
        for (String other : List.of("registry-service", "training-worker", "serving-gateway")) {
            assertEquals(configChecksum(before, other), configChecksum(after, other), other);
        }
    }

    @Test
    void disabledTransferServiceRendersNothing() {
        Map<String, Object> values = with(minimalValues(), "transferService.enabled", false);
        Manifests manifests = template(values, tmp);

        assertEquals(List.of("ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "Deployment", "Deployment",
                "Secret", "Service", "Service", "ServiceAccount", "ServiceAccount", "ServiceAccount"),
                manifests.kinds());
        assertFalse(templateText(values, tmp).contains(TRANSFER));
    }

    @Test
    void schemaRejectsBadTransferValues() {
        assertSchemaRejects(with(minimalValues(), "transferService.replicaCount", "two"), "replicaCount");
        assertSchemaRejects(with(minimalValues(), "transferService.enable", true), "enable");
        assertSchemaRejects(with(minimalValues(), "transferService.registryUrl", "registry:8080"), "registryUrl");
        assertSchemaRejects(with(minimalValues(), "transferService.priorityAliases", "production"),
                "priorityAliases");
        assertSchemaRejects(with(minimalValues(), "transferService.priorityAliases", List.of()), "priorityAliases");
        assertSchemaRejects(with(minimalValues(), "transferService.priorityAliases", List.of("a,b")),
                "priorityAliases");
        assertSchemaRejects(with(minimalValues(), "transferService.service.type", "Ingress"), "type");
        assertSchemaRejects(with(minimalValues(), "transferService.containerPorts.http", 70000), "containerPorts");
        assertSchemaRejects(with(minimalValues(), "transferService.serviceAccount.creat", true), "creat");
    }

    @Test
    void notesShowHowToReachTheTransferService() {
        String notes = notes(minimalValues());
        assertTrue(notes.contains("transfer-service (adapterhub/transfer-service:0.1.0-SNAPSHOT), 1 replica(s), "
                + "calling http://" + REGISTRY + ":8080/api/v1"), notes);
        assertTrue(notes.contains("http://" + FULLNAME + "." + NAMESPACE + ".svc:8082/api/v1/transfers"), notes);
        assertTrue(notes.contains("rollout status deployment/" + FULLNAME), notes);
        assertTrue(notes.contains("port-forward service/" + FULLNAME + " 8082:8082"), notes);
        assertTrue(notes.contains("$TRANSFER_URL/api/v1/transfers -H \"Authorization: Bearer $ADMIN_KEY\""), notes);
        assertTrue(notes.contains("consumer group adapterhub-transfer-service"), notes);
        assertFalse(notes.contains("trainingWorker.enabled is false"), notes);

        assertTrue(notes(with(minimalValues(), "trainingWorker.enabled", false))
                .contains("trainingWorker.enabled is false"));
        assertFalse(notes(with(minimalValues(), "transferService.enabled", false)).contains(TRANSFER));
    }

    private String notes(Map<String, Object> values) {
        return ChartRenderer.notes(values, NAMESPACE, tmp);
    }

    private void assertSchemaRejects(Map<String, Object> values, String key) {
        ChartRenderer.assertSchemaRejects(values, key, tmp);
    }

}
