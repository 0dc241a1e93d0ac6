package dev.adapterhub.helm;

import static dev.adapterhub.helm.ChartRenderer.AUTH_SECRET;
import static dev.adapterhub.helm.ChartRenderer.configChecksum;
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

/** The training-worker Deployment: wiring to the registry, Kafka and S3, runtime options, scheduling, schema. */
class TrainingWorkerTemplateTest {

    private static final String WORKER = "training-worker";
    private static final String FULLNAME = "hub-adapterhub-training-worker";
    private static final String REGISTRY = "hub-adapterhub-registry-service";
    private static final String CREDENTIALS = "hub-adapterhub-credentials";
    private static final List<String> CONFIG_KEYS = List.of("QUARKUS_HTTP_PORT", "ADAPTERHUB_REGISTRY_URL",
            "KAFKA_BOOTSTRAP_SERVERS", "ADAPTERHUB_STORAGE_ENDPOINT", "ADAPTERHUB_STORAGE_REGION",
            "ADAPTERHUB_WORKER_RUNTIME_DEVICE", "ADAPTERHUB_WORKER_RUNTIME_THREADS",
            "ADAPTERHUB_WORKER_RUNTIME_COMPILED_FORWARD",
            "ADAPTERHUB_WORKER_RUNTIME_CACHE_DIR", "ADAPTERHUB_WORKER_RUNTIME_WORK_DIR", "DJL_CACHE_DIR",
            "DJL_OFFLINE");

    @TempDir
    Path tmp;

    @Test
    void byDefaultAWorkerIsWiredToThisReleasesRegistryKafkaAndS3() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode deployment = manifests.deployment(WORKER);
        assertEquals(FULLNAME, deployment.at("/metadata/name").asText());
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");
        assertEquals("http://" + REGISTRY + ":8080/api/v1", config.path("ADAPTERHUB_REGISTRY_URL").asText());
        assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092", config.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        assertEquals("http://minio.storage.svc:9000", config.path("ADAPTERHUB_STORAGE_ENDPOINT").asText());
        assertEquals("us-east-1", config.path("ADAPTERHUB_STORAGE_REGION").asText());
        assertEquals("auto", config.path("ADAPTERHUB_WORKER_RUNTIME_DEVICE").asText());
        assertEquals("0", config.path("ADAPTERHUB_WORKER_RUNTIME_THREADS").asText());
        assertEquals("false", config.path("ADAPTERHUB_WORKER_RUNTIME_COMPILED_FORWARD").asText());
        assertEquals("8081", config.path("QUARKUS_HTTP_PORT").asText());
        assertEquals("true", config.path("DJL_OFFLINE").asText());
        assertEquals(CONFIG_KEYS.size(), config.size(), config.toString());
        for (String key : CONFIG_KEYS) {
            JsonNode ref = manifests.env(WORKER, key).at("/valueFrom/configMapKeyRef");
            assertEquals(FULLNAME, ref.path("name").asText(), key);
            assertEquals(key, ref.path("key").asText(), key);
        }

        // S3 credentials come from the same Secret as the registry's; the worker never gets the database.
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_ACCESS_KEY", CREDENTIALS, "s3-access-key");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_SECRET_KEY", CREDENTIALS, "s3-secret-key");
        // The workers call the registry with their service-account key; they never get another account's key.
        assertSecretRef(manifests, "ADAPTERHUB_REGISTRY_API_KEY", AUTH_SECRET, "worker-key");
        assertEquals(CONFIG_KEYS.size() + 3, manifests.container(WORKER).path("env").size());
        assertTrue(manifests.env(WORKER, "QUARKUS_DATASOURCE_PASSWORD").isMissingNode());
        assertTrue(manifests.env(WORKER, "QUARKUS_DATASOURCE_JDBC_URL").isMissingNode());
        assertEquals("adapterhub/training-worker:0.1.0-SNAPSHOT",
                manifests.container(WORKER).path("image").asText());
    }

    @Test
    void theRegistryServiceSelectsNoWorkerPod() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode selector = manifests.named("Service", REGISTRY).at("/spec/selector");
        JsonNode workerLabels = manifests.deployment(WORKER).at("/spec/template/metadata/labels");
        boolean selectsWorkers = true;
        for (var field : selector.properties()) {
            selectsWorkers &= field.getValue().asText().equals(workerLabels.path(field.getKey()).asText());
        }
        assertFalse(selectsWorkers, "registry Service selector " + selector + " matches worker pods " + workerLabels);
        assertEquals(manifests.deployment(WORKER).at("/spec/selector/matchLabels/app.kubernetes.io~1component")
                .asText(), WORKER);
    }

    @Test
    void workerPodIsRestrictedProbedAndWritesOnlyToItsVolumes() {
        Manifests manifests = template(minimalValues(), tmp);
        JsonNode pod = manifests.deployment(WORKER).at("/spec/template/spec");
        JsonNode container = manifests.container(WORKER);

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
        assertEquals(FULLNAME, manifests.named("ServiceAccount", FULLNAME).at("/metadata/name").asText());

        assertEquals(8081, container.at("/ports/0/containerPort").asInt());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("http", container.at("/readinessProbe/httpGet/port").asText());
        assertFalse(container.at("/readinessProbe/enabled").isBoolean());
        // The worker waits up to 20 s for the running step and 20 s for its consumer on SIGTERM.
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 45, pod.toString());
        // A surge pod could wait forever for a second GPU.
        assertEquals(0, manifests.deployment(WORKER).at("/spec/strategy/rollingUpdate/maxSurge").asInt(-1));

        // Every directory the worker writes is on a mounted volume; the volumes are emptyDirs by default.
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.contains("/tmp"), mounts.toString());
        for (String key : List.of("ADAPTERHUB_WORKER_RUNTIME_CACHE_DIR", "ADAPTERHUB_WORKER_RUNTIME_WORK_DIR",
                "DJL_CACHE_DIR")) {
            String dir = config.path(key).asText();
            assertTrue(mounts.stream().anyMatch(m -> !m.equals("/tmp") && dir.startsWith(m + "/") || dir.equals(m)),
                    key + "=" + dir + " is on no volume " + mounts);
        }
        pod.path("volumes").forEach(v -> assertTrue(v.path("emptyDir").isObject(), v.toString()));
        assertEquals(3, pod.path("volumes").size());
    }

    @Test
    void gpuSchedulingRuntimeAndCacheOptionsReachThePod() {
        Map<String, Object> values = with(minimalValues(), "trainingWorker.replicaCount", 4);
        values = with(values, "trainingWorker.device", "gpu");
        values = with(values, "trainingWorker.threads", 8);
        values = with(values, "trainingWorker.compiledForward", true);
        values = with(values, "trainingWorker.nodeSelector", Map.of("nvidia.com/gpu.present", "true"));
        values = with(values, "trainingWorker.tolerations", List.of(Map.of("key", "nvidia.com/gpu",
                "operator", "Exists", "effect", "NoSchedule")));
        values = with(values, "trainingWorker.affinity", Map.of("podAntiAffinity", Map.of(
                "preferredDuringSchedulingIgnoredDuringExecution", List.of(Map.of("weight", 50,
                        "podAffinityTerm", Map.of("topologyKey", "kubernetes.io/hostname"))))));
        values = with(values, "trainingWorker.resources", Map.of("limits", Map.of("nvidia.com/gpu", 1,
                "memory", "32Gi")));
        values = with(values, "trainingWorker.extraEnvVars", List.of(Map.of("name",
                "ADAPTERHUB_WORKER_HEARTBEAT_INTERVAL", "value", "PT5S")));
        values = with(values, "trainingWorker.cache.existingClaim", "worker-cache");
        values = with(values, "trainingWorker.workVolume.sizeLimit", "50Gi");
        values = with(values, "trainingWorker.registryUrl", "https://registry.example.com/api/v1");
        values = with(values, "trainingWorker.terminationGracePeriodSeconds", 120);
        values = with(values, "trainingWorker.image.digest", "sha256:" + "cd".repeat(32));
        values = with(values, "global.imageRegistry", "registry.example.com");

        Manifests manifests = template(values, tmp);
        JsonNode deployment = manifests.deployment(WORKER);
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");

        assertEquals(4, deployment.at("/spec/replicas").asInt());
        assertEquals("gpu", config.path("ADAPTERHUB_WORKER_RUNTIME_DEVICE").asText());
        assertEquals("8", config.path("ADAPTERHUB_WORKER_RUNTIME_THREADS").asText());
        assertEquals("true", config.path("ADAPTERHUB_WORKER_RUNTIME_COMPILED_FORWARD").asText());
        assertEquals("https://registry.example.com/api/v1", config.path("ADAPTERHUB_REGISTRY_URL").asText());
        assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText());
        assertEquals("nvidia.com/gpu", pod.at("/tolerations/0/key").asText());
        assertEquals(50, pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight")
                .asInt());
        assertEquals(120, pod.path("terminationGracePeriodSeconds").asInt());
        JsonNode container = manifests.container(WORKER);
        assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt());
        assertEquals("PT5S", manifests.env(WORKER, "ADAPTERHUB_WORKER_HEARTBEAT_INTERVAL").path("value").asText());
        assertEquals("registry.example.com/adapterhub/training-worker@sha256:" + "cd".repeat(32),
                container.path("image").asText());

        JsonNode cache = volume(pod, "cache");
        assertEquals("worker-cache", cache.at("/persistentVolumeClaim/claimName").asText());
        assertTrue(cache.path("emptyDir").isMissingNode());
        assertEquals("50Gi", volume(pod, "work").at("/emptyDir/sizeLimit").asText());

        // The registry's own pod is not touched by the worker's scheduling values.
        assertTrue(manifests.deployment("registry-service").at("/spec/template/spec/nodeSelector").isMissingNode());
    }

    @Test
    void existingS3SecretIsSharedWithTheRegistry() {
        Map<String, Object> values = with(minimalValues(), "externalS3.existingSecret", "minio-credentials");
        values = with(values, "externalS3.existingSecretAccessKeyKey", "rootUser");
        values = with(values, "externalS3.existingSecretSecretKeyKey", "rootPassword");

        Manifests manifests = template(values, tmp);

        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_ACCESS_KEY", "minio-credentials", "rootUser");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_SECRET_KEY", "minio-credentials", "rootPassword");
        assertEquals(manifests.env("ADAPTERHUB_STORAGE_SECRET_KEY"),
                manifests.env(WORKER, "ADAPTERHUB_STORAGE_SECRET_KEY"));
    }

    @Test
    void changingTheWorkerConfigurationRollsOnlyTheWorkers() {
        Manifests before = template(minimalValues(), tmp);
        Manifests after = template(with(minimalValues(), "trainingWorker.device", "cpu"), tmp);

        assertNotEquals(configChecksum(before, WORKER), configChecksum(after, WORKER));
        assertEquals(configChecksum(before, "registry-service"), configChecksum(after, "registry-service"));
    }

    @Test
    void disabledWorkersRenderNothing() {
        Manifests manifests = template(with(minimalValues(), "trainingWorker.enabled", false), tmp);

        assertTrue(manifests.ofKind("Deployment").stream().noneMatch(d -> d.at("/metadata/name").asText()
                .equals(FULLNAME)), manifests.kinds().toString());
        assertEquals(List.of("ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "Deployment", "Deployment",
                "Secret", "Service", "Service", "Service", "ServiceAccount", "ServiceAccount", "ServiceAccount"),
                manifests.kinds());
        assertFalse(templateText(with(minimalValues(), "trainingWorker.enabled", false), tmp)
                .contains(WORKER));
    }

    @Test
    void schemaRejectsBadWorkerValues() {
        assertSchemaRejects(with(minimalValues(), "trainingWorker.device", "cuda"), "device");
        assertSchemaRejects(with(minimalValues(), "trainingWorker.threads", -1), "threads");
        assertSchemaRejects(with(minimalValues(), "trainingWorker.replicaCount", "two"), "replicaCount");
        assertSchemaRejects(with(minimalValues(), "trainingWorker.devices", "gpu"), "devices");
        assertSchemaRejects(with(minimalValues(), "trainingWorker.cache.existingClam", "x"), "existingClam");
        assertSchemaRejects(with(minimalValues(), "trainingWorker.registryUrl", "registry:8080"), "registryUrl");
    }

    @Test
    void notesShowTheWorkersAndWarnAboutUnscheduledGpuWorkers() {
        String notes = notes(with(minimalValues(), "trainingWorker.device", "gpu"));
        assertTrue(notes.contains("training-worker (adapterhub/training-worker:0.1.0-SNAPSHOT), 1 replica(s), device gpu"),
                notes);
        assertTrue(notes.contains("rollout status deployment/" + FULLNAME), notes);
        assertTrue(notes.contains("no nodeSelector, tolerations or affinity"), notes);
        assertTrue(notes.contains("adapterhub.training.jobs.v1"), notes);

        Map<String, Object> scheduled = with(minimalValues(), "trainingWorker.device", "gpu");
        scheduled = with(scheduled, "trainingWorker.nodeSelector", Map.of("nvidia.com/gpu.present", "true"));
        assertFalse(notes(scheduled).contains("no nodeSelector, tolerations or affinity"));
        assertFalse(notes(with(minimalValues(), "trainingWorker.enabled", false)).contains("training-worker"));
    }

    private String notes(Map<String, Object> values) {
        return ChartRenderer.notes(values, NAMESPACE, tmp);
    }

    private void assertSchemaRejects(Map<String, Object> values, String key) {
        ChartRenderer.assertSchemaRejects(values, key, tmp);
    }

    private static void assertSecretRef(Manifests manifests, String env, String secret, String key) {
        JsonNode ref = manifests.env(WORKER, env).at("/valueFrom/secretKeyRef");
        assertEquals(secret, ref.path("name").asText(), env);
        assertEquals(key, ref.path("key").asText(), env);
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
