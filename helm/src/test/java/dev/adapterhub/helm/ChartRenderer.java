package dev.adapterhub.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the chart with the embedded Helm (helm-java) and parses the manifests. Values go through a values file,
 * not {@code --set}, so values with commas (a broker list) or typed values reach Helm exactly as a user writes them.
 */
final class ChartRenderer {

    static final String RELEASE = "hub";
    static final String NAMESPACE = "ml-platform";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ChartRenderer() {
    }

    /** The chart directory; surefire passes it, the fallback serves runs from the module directory in an IDE. */
    static Path chartDir() {
        Path dir = Path.of(System.getProperty("adapterhub.chart.dir", "adapterhub")).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + dir);
        }
        return dir;
    }

    /** The Secret holding the API keys in {@link #minimalValues()} ({@code auth.existingSecret}). */
    static final String AUTH_SECRET = "adapterhub-auth";

    /**
     * The smallest values that install: every required value, database and S3 credentials as plain values, the API
     * keys from {@link #AUTH_SECRET} (keys can only come from an existing Secret).
     */
    static Map<String, Object> minimalValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("externalDatabase", new LinkedHashMap<>(Map.of(
                "jdbcUrl", "jdbc:postgresql://pg.db.svc:5432/adapterhub",
                "password", "db-pass-123")));
        values.put("externalKafka", new LinkedHashMap<>(Map.of(
                "bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092")));
        values.put("externalS3", new LinkedHashMap<>(Map.of(
                "endpoint", "http://minio.storage.svc:9000",
                "accessKey", "s3-access-abc",
                "secretKey", "s3-secret-xyz")));
        values.put("auth", new LinkedHashMap<>(Map.of("existingSecret", AUTH_SECRET)));
        return values;
    }

    /** Deep-copies {@code base} and sets the dotted {@code path} to {@code value}; a null value removes it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> with(Map<String, Object> base, String path, Object value) {
        Map<String, Object> copy = YAML.convertValue(base, LinkedHashMap.class);
        String[] keys = path.split("\\.");
        Map<String, Object> node = copy;
        for (int i = 0; i < keys.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
        }
        if (value == null) {
            node.remove(keys[keys.length - 1]);
        } else {
            node.put(keys[keys.length - 1], value);
        }
        return copy;
    }

    /** Renders the chart; throws {@link IllegalStateException} with Helm's message when rendering fails. */
    static String templateText(Map<String, Object> values, Path workDir) {
        Path valuesFile = writeValues(values, workDir);
        return new Helm(chartDir()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(valuesFile)
                .call();
    }

    static Manifests template(Map<String, Object> values, Path workDir) {
        return Manifests.parse(templateText(values, workDir));
    }

    /** The NOTES.txt a client-only dry-run install prints. */
    static String notes(Map<String, Object> values, String namespace, Path workDir) {
        return new Helm(chartDir()).install()
                .withName(RELEASE)
                .withNamespace(namespace)
                .withValuesFile(writeValues(values, workDir))
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();
    }

    /** Fails unless the chart's values schema refuses {@code values}, naming {@code key}. */
    static void assertSchemaRejects(Map<String, Object> values, String key, Path workDir) {
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> templateText(values, workDir)).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(
                message.contains("values don't meet the specifications of the schema"), message);
        org.junit.jupiter.api.Assertions.assertTrue(message.contains(key), message);
    }

    /** Whether every label of a Service (or PDB) selector is on the pod. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        boolean selects = true;
        for (var field : selector.properties()) {
            selects &= field.getValue().asText().equals(labels.path(field.getKey()).asText());
        }
        return selects;
    }

    /** The {@code checksum/config} annotation on a component's pod template (it rolls the pods on a change). */
    static String configChecksum(Manifests manifests, String component) {
        return manifests.deployment(component).at("/spec/template/metadata/annotations").path("checksum/config")
                .asText();
    }

    static Path writeValues(Map<String, Object> values, Path workDir) {
        try {
            Path file = Files.createTempFile(workDir, "values-", ".yaml");
            YAML.writeValue(file.toFile(), values);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rendered Kubernetes objects. */
    record Manifests(List<JsonNode> objects) {

        static Manifests parse(String yaml) {
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && node.hasNonNull("kind")) {
                        objects.add(node);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("rendered manifests are not YAML", e);
            }
            return new Manifests(objects);
        }

        List<String> kinds() {
            return objects.stream().map(o -> o.path("kind").asText()).sorted().toList();
        }

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        }

        /** The only object of {@code kind}; fails when there is none or more than one. */
        JsonNode one(String kind) {
            List<JsonNode> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected exactly one " + kind + ", found " + found.size() + ": " + kinds());
            }
            return found.get(0);
        }

        /** The object of {@code kind} named {@code name}; fails when there is none. */
        JsonNode named(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(o.at("/metadata/name").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds()));
        }

        /** The only Deployment of {@code component} (label app.kubernetes.io/component). */
        JsonNode deployment(String component) {
            List<JsonNode> found = ofKind("Deployment").stream()
                    .filter(o -> component.equals(o.at("/metadata/labels/app.kubernetes.io~1component").asText()))
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + component + " Deployment, found " + found.size());
            }
            return found.get(0);
        }

        /** The registry-service container. */
        JsonNode container() {
            return container("registry-service");
        }

        JsonNode container(String component) {
            return deployment(component).at("/spec/template/spec/containers/0");
        }

        /** The registry-service container's env entry named {@code name}, or a missing node. */
        JsonNode env(String name) {
            return env("registry-service", name);
        }

        /** The env entry named {@code name} of {@code component}'s container, or a missing node. */
        JsonNode env(String component, String name) {
            for (JsonNode entry : container(component).path("env")) {
                if (name.equals(entry.path("name").asText())) {
                    return entry;
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
