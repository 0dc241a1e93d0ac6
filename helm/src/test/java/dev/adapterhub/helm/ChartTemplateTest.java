package dev.adapterhub.helm;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm template} with chosen values, asserting on the parsed manifests. */
class ChartTemplateTest {

    private static final String FULLNAME = "hub-adapterhub-registry-service";
    private static final String CREDENTIALS = "hub-adapterhub-credentials";

    @TempDir
    Path tmp;

    @Test
    void minimalValuesRenderExactlyTheCoreObjects() {
        Manifests manifests = template(minimalValues(), tmp);

        assertEquals(List.of("ConfigMap", "ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "Deployment",
                "Deployment", "Deployment", "Secret", "Service", "Service", "Service", "ServiceAccount",
                "ServiceAccount", "ServiceAccount", "ServiceAccount"), manifests.kinds());
        for (JsonNode object : manifests.objects()) {
            assertEquals(NAMESPACE, object.at("/metadata/namespace").asText(), object.toString());
            assertEquals("adapterhub", object.at("/metadata/labels/app.kubernetes.io~1part-of").asText());
        }
    }

    @Test
    void deploymentReadsEveryPlainSettingFromTheConfigMap() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode config = manifests.named("ConfigMap", FULLNAME).path("data");
        assertEquals("jdbc:postgresql://pg.db.svc:5432/adapterhub", config.path("QUARKUS_DATASOURCE_JDBC_URL").asText());
        assertEquals("adapterhub", config.path("QUARKUS_DATASOURCE_USERNAME").asText());
        assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092", config.path("KAFKA_BOOTSTRAP_SERVERS").asText());
        assertEquals("http://minio.storage.svc:9000", config.path("ADAPTERHUB_STORAGE_ENDPOINT").asText());
        assertEquals("us-east-1", config.path("ADAPTERHUB_STORAGE_REGION").asText());
        assertEquals("adapterhub", config.path("ADAPTERHUB_STORAGE_BUCKET").asText());
        assertEquals("8080", config.path("QUARKUS_HTTP_PORT").asText());
        assertEquals("true", config.path("ADAPTERHUB_SECURITY_ENABLED").asText());
        assertEquals("production", config.path("ADAPTERHUB_SECURITY_PROTECTED_ALIASES").asText());
        assertEquals(9, config.size(), config.toString());

        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        for (String name : keys) {
            JsonNode ref = manifests.env(name).at("/valueFrom/configMapKeyRef");
            assertEquals(FULLNAME, ref.path("name").asText(), name);
            assertEquals(name, ref.path("key").asText(), name);
        }
        for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                "KAFKA_BOOTSTRAP_SERVERS", "ADAPTERHUB_STORAGE_ENDPOINT", "ADAPTERHUB_STORAGE_REGION",
                "ADAPTERHUB_STORAGE_BUCKET", "QUARKUS_HTTP_PORT")) {
            JsonNode ref = manifests.env(name).at("/valueFrom/configMapKeyRef");
            assertEquals(FULLNAME, ref.path("name").asText(), name);
            assertEquals(name, ref.path("key").asText(), name);
        }
    }

    @Test
    void plainCredentialsGoToAGeneratedSecretAndAreReferencedFromIt() {
        Manifests manifests = template(minimalValues(), tmp);

        JsonNode secret = manifests.named("Secret", CREDENTIALS);
        assertEquals(CREDENTIALS, secret.at("/metadata/name").asText());
        assertEquals("db-pass-123", decode(secret.at("/data/db-password")));
        assertEquals("s3-access-abc", decode(secret.at("/data/s3-access-key")));
        assertEquals("s3-secret-xyz", decode(secret.at("/data/s3-secret-key")));

        assertSecretRef(manifests, "QUARKUS_DATASOURCE_PASSWORD", CREDENTIALS, "db-password");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_ACCESS_KEY", CREDENTIALS, "s3-access-key");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_SECRET_KEY", CREDENTIALS, "s3-secret-key");

        // Credentials appear only base64-encoded in the Secret, never in plain text in any object.
        String text = templateText(minimalValues(), tmp);
        assertFalse(text.contains("db-pass-123"));
        assertFalse(text.contains("s3-secret-xyz"));
    }

    @Test
    void existingSecretsAreReferencedAndNoSecretIsCreated() {
        Map<String, Object> values = minimalValues();
        values = with(values, "externalDatabase.existingSecret", "pg-credentials");
        values = with(values, "externalDatabase.existingSecretPasswordKey", "password");
        values = with(values, "externalS3.existingSecret", "minio-credentials");
        values = with(values, "externalS3.existingSecretAccessKeyKey", "rootUser");
        values = with(values, "externalS3.existingSecretSecretKeyKey", "rootPassword");

        Manifests manifests = template(values, tmp);

        assertEquals(List.of(), manifests.ofKind("Secret").stream()
                .map(o -> o.at("/metadata/name").asText()).toList());
        assertSecretRef(manifests, "QUARKUS_DATASOURCE_PASSWORD", "pg-credentials", "password");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_ACCESS_KEY", "minio-credentials", "rootUser");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_SECRET_KEY", "minio-credentials", "rootPassword");
        // The plain values were also given; the existing Secrets win and the plain ones go nowhere.
        String text = templateText(values, tmp);
        assertFalse(text.contains("db-pass-123"));
        assertFalse(text.contains(Base64.getEncoder().encodeToString("db-pass-123".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void existingSecretForOneServiceAndPlainCredentialsForTheOther() {
        Map<String, Object> values = with(minimalValues(), "externalDatabase.existingSecret", "pg-credentials");
        values = with(values, "externalDatabase.password", null);

        Manifests manifests = template(values, tmp);

        JsonNode secret = manifests.named("Secret", CREDENTIALS);
        assertTrue(secret.at("/data/db-password").isMissingNode());
        assertEquals("s3-access-abc", decode(secret.at("/data/s3-access-key")));
        assertSecretRef(manifests, "QUARKUS_DATASOURCE_PASSWORD", "pg-credentials", "db-password");
        assertSecretRef(manifests, "ADAPTERHUB_STORAGE_ACCESS_KEY", CREDENTIALS, "s3-access-key");
    }

    @Test
    void missingDatabaseUrlFailsWithTheValidationMessage() {
        Map<String, Object> values = with(minimalValues(), "externalDatabase.jdbcUrl", null);

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> templateText(values, tmp));

        assertTrue(error.getMessage().contains("VALUES VALIDATION"), error.getMessage());
        assertTrue(error.getMessage().contains("adapterhub: externalDatabase.jdbcUrl"), error.getMessage());
        assertTrue(error.getMessage().contains("The PostgreSQL JDBC URL is required"), error.getMessage());
    }

    @Test
    void everyMissingValueIsReportedAtOnce() {
        Map<String, Object> values = with(minimalValues(), "externalKafka.bootstrapServers", null);
        values = with(values, "externalDatabase.password", null);
        values = with(values, "externalS3.secretKey", null);
        Map<String, Object> broken = values;

        String message = assertThrows(IllegalStateException.class, () -> templateText(broken, tmp)).getMessage();

        assertTrue(message.contains("The database password is required"), message);
        assertTrue(message.contains("The Kafka bootstrap servers are required"), message);
        assertTrue(message.contains("S3 credentials are required"), message);
    }

    @Test
    void ingressWithoutHostnameFails() {
        Map<String, Object> values = with(minimalValues(), "registryService.ingress.enabled", true);

        String message = assertThrows(IllegalStateException.class, () -> templateText(values, tmp)).getMessage();

        assertTrue(message.contains("registryService.ingress.hostname"), message);
    }

    @Test
    void schemaRejectsAWrongType() {
        Map<String, Object> values = with(minimalValues(), "registryService.replicaCount", "two");

        String message = assertThrows(IllegalStateException.class, () -> templateText(values, tmp)).getMessage();

        assertTrue(message.contains("values don't meet the specifications of the schema"), message);
        assertTrue(message.contains("replicaCount"), message);
    }

    @Test
    void schemaRejectsAMistypedExternalServiceKey() {
        Map<String, Object> values = with(minimalValues(), "externalDatabase.jdbcURL", "jdbc:postgresql://x/y");

        String message = assertThrows(IllegalStateException.class, () -> templateText(values, tmp)).getMessage();

        assertTrue(message.contains("jdbcURL"), message);
    }

    @Test
    void nonPostgresUrlIsRejected() {
        Map<String, Object> values = with(minimalValues(), "externalDatabase.jdbcUrl", "jdbc:mysql://db:3306/hub");

        assertThrows(IllegalStateException.class, () -> templateText(values, tmp));
    }

    @Test
    void podIsRestrictedAndWritesOnlyToTmp() {
        Manifests manifests = template(minimalValues(), tmp);
        JsonNode pod = manifests.deployment("registry-service").at("/spec/template/spec");
        JsonNode container = manifests.container();

        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertFalse(pod.at("/securityContext/enabled").isBoolean(), "the 'enabled' switch must not leak");
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", security.at("/capabilities/drop/0").asText());
        assertEquals("RuntimeDefault", security.at("/seccompProfile/type").asText());
        assertFalse(security.has("enabled"));

        assertEquals("/tmp", container.at("/volumeMounts/0/mountPath").asText());
        assertEquals("tmp", pod.at("/volumes/0/name").asText());
        assertTrue(pod.at("/volumes/0/emptyDir").isObject());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
        assertEquals(FULLNAME, pod.path("serviceAccountName").asText());

        assertEquals("512Mi", container.at("/resources/requests/memory").asText());
    }

    @Test
    void probesAndPortUseTheQuarkusEndpoints() {
        Manifests manifests = template(minimalValues(), tmp);
        JsonNode container = manifests.container();

        assertEquals(8080, container.at("/ports/0/containerPort").asInt());
        assertEquals("http", container.at("/ports/0/name").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("http", container.at("/readinessProbe/httpGet/port").asText());
        assertFalse(container.at("/livenessProbe/enabled").isBoolean());

        JsonNode service = manifests.named("Service", FULLNAME);
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        assertEquals(manifests.deployment("registry-service").at("/spec/selector/matchLabels"), service.at("/spec/selector"));
    }

    @Test
    void imageDefaultsToTheAppVersionAndHonoursRegistryAndDigest() {
        assertEquals("adapterhub/registry-service:0.1.0-SNAPSHOT",
                template(minimalValues(), tmp).container().path("image").asText());

        Map<String, Object> values = with(minimalValues(), "global.imageRegistry", "registry.example.com");
        values = with(values, "registryService.image.tag", "1.2.3");
        assertEquals("registry.example.com/adapterhub/registry-service:1.2.3",
                template(values, tmp).container().path("image").asText());

        String digest = "sha256:" + "ab".repeat(32);
        values = with(values, "registryService.image.digest", digest);
        assertEquals("registry.example.com/adapterhub/registry-service@" + digest,
                template(values, tmp).container().path("image").asText());
    }

    @Test
    void checksumRollsThePodsOnlyWhenConfigurationChanges() {
        String first = checksum(template(minimalValues(), tmp), "checksum/config");
        String same = checksum(template(minimalValues(), tmp), "checksum/config");
        String changed = checksum(template(with(minimalValues(), "externalS3.bucket", "other-bucket"), tmp),
                "checksum/config");
        assertEquals(first, same);
        assertNotEquals(first, changed);

        String credentials = checksum(template(minimalValues(), tmp), "checksum/credentials");
        String rotated = checksum(template(with(minimalValues(), "externalDatabase.password", "new-pass"), tmp),
                "checksum/credentials");
        assertNotEquals(credentials, rotated);
    }

    @Test
    void optionalObjectsRenderWhenEnabled() {
        Map<String, Object> values = with(minimalValues(), "registryService.ingress.enabled", true);
        values = with(values, "registryService.ingress.hostname", "adapterhub.example.com");
        values = with(values, "registryService.ingress.tls", true);
        values = with(values, "registryService.pdb.create", true);
        values = with(values, "registryService.pdb.minAvailable", 1);
        values = with(values, "metrics.serviceMonitor.enabled", true);
        values = with(values, "metrics.serviceMonitor.interval", "30s");

        Manifests manifests = template(values, tmp);

        JsonNode ingress = manifests.one("Ingress");
        assertEquals("adapterhub.example.com", ingress.at("/spec/rules/0/host").asText());
        assertEquals(FULLNAME, ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText());
        assertEquals("adapterhub.example.com-tls", ingress.at("/spec/tls/0/secretName").asText());

        JsonNode pdb = manifests.one("PodDisruptionBudget");
        assertEquals(1, pdb.at("/spec/minAvailable").asInt());
        assertTrue(pdb.at("/spec/maxUnavailable").isMissingNode());

        JsonNode monitor = manifests.one("ServiceMonitor");
        assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText());
        assertEquals("http", monitor.at("/spec/endpoints/0/port").asText());
        assertEquals("30s", monitor.at("/spec/endpoints/0/interval").asText());
    }

    @Test
    void extraEnvVarsAreAppended() {
        Map<String, Object> values = with(minimalValues(), "registryService.extraEnvVars",
                List.of(Map.of("name", "KAFKA_SECURITY_PROTOCOL", "value", "SASL_SSL")));

        Manifests manifests = template(values, tmp);

        assertEquals("SASL_SSL", manifests.env("KAFKA_SECURITY_PROTOCOL").path("value").asText());
        List<String> names = new ArrayList<>();
        manifests.container().path("env").forEach(e -> names.add(e.path("name").asText()));
        // 9 ConfigMap keys (7 platform settings, ADAPTERHUB_SECURITY_ENABLED and _PROTECTED_ALIASES),
        // 3 database/S3 credentials, 4 API-key settings, the webhook encryption keys, and the extra one, last.
        assertEquals(18, names.size(), names.toString());
        assertEquals("KAFKA_SECURITY_PROTOCOL", names.get(names.size() - 1));
    }

    @Test
    void tmpSizeLimitIsOptional() {
        JsonNode unlimited = template(minimalValues(), tmp).deployment("registry-service").at("/spec/template/spec/volumes/0");
        assertTrue(unlimited.at("/emptyDir/sizeLimit").isMissingNode(), unlimited.toString());

        Map<String, Object> values = with(minimalValues(), "registryService.tmpVolume.sizeLimit", "30Gi");
        JsonNode limited = template(values, tmp).deployment("registry-service").at("/spec/template/spec/volumes/0");
        assertEquals("30Gi", limited.at("/emptyDir/sizeLimit").asText());
    }

    @Test
    void pullSecretsAcceptNamesAndMaps() {
        Map<String, Object> values = with(minimalValues(), "global.imagePullSecrets", List.of("regcred"));
        values = with(values, "registryService.image.pullSecrets", List.of(Map.of("name", "other")));

        JsonNode secrets = template(values, tmp).deployment("registry-service").at("/spec/template/spec/imagePullSecrets");

        assertEquals("regcred", secrets.at("/0/name").asText());
        assertEquals("other", secrets.at("/1/name").asText());
        assertTrue(template(minimalValues(), tmp).deployment("registry-service").at("/spec/template/spec/imagePullSecrets")
                .isMissingNode());
    }

    @Test
    void notesTellHowToReachTheService() {
        String notes = new com.marcnuri.helm.Helm(ChartRenderer.chartDir()).install()
                .withName(ChartRenderer.RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(ChartRenderer.writeValues(minimalValues(), tmp))
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();

        assertTrue(notes.contains("kubectl --namespace " + NAMESPACE + " port-forward service/" + FULLNAME), notes);
        assertTrue(notes.contains("curl -s $ADAPTERHUB_URL/q/health/ready"), notes);
        assertTrue(notes.contains("WARNING: credentials were given as plain values"), notes);
    }

    private static void assertSecretRef(Manifests manifests, String env, String secret, String key) {
        JsonNode ref = manifests.env(env).at("/valueFrom/secretKeyRef");
        assertEquals(secret, ref.path("name").asText(), env);
        assertEquals(key, ref.path("key").asText(), env);
    }

    private static String checksum(Manifests manifests, String annotation) {
        JsonNode value = manifests.deployment("registry-service").at("/spec/template/metadata/annotations")
                .path(annotation);
        assertTrue(value.isTextual() && value.asText().matches("[0-9a-f]{64}"), annotation + ": " + value);
        return value.asText();
    }

    private static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }
}
