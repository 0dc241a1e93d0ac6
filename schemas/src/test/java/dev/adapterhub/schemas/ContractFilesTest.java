package dev.adapterhub.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the packaged files consistent with each other and with the event table in schemas/README.md.
 */
class ContractFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String ASYNCAPI = "asyncapi/adapterhub.yaml";
    private static final String REGISTRY_TOPIC = "adapterhub.registry.events.v1";
    private static final String JOBS_TOPIC = "adapterhub.training.jobs.v1";
    private static final String TRAINING_EVENTS_TOPIC = "adapterhub.training.events.v1";
    private static final String DLQ_TOPIC = "adapterhub.training.jobs.dlq.v1";

    /** The README's table, copied by hand on purpose: a schema drifting from the contract fails here. */
    private static final Map<String, Fields> README_TABLE = new LinkedHashMap<>();

    static {
        table("base-model.registered",
                List.of("baseModelId", "name", "revision", "architecture", "hiddenSize", "numLayers"), List.of());
        table("base-model.superseded", List.of("baseModelId", "name", "revision", "supersededById",
                "supersededByName", "supersededByRevision"), List.of());
        table("base-model.retired", List.of("baseModelId", "name", "revision"), List.of());
        table("adapter.created", List.of("adapterId", "name", "team", "method", "baseModelId", "baseModelName",
                "baseModelRevision", "tags"), List.of());
        table("adapter-version.published", List.of("adapterId", "adapterName", "versionId", "version", "digest",
                "method", "peftType", "baseModelId", "baseModelName", "baseModelRevision"),
                List.of("parentVersion", "transferredFromVersionId", "trainingJobId"));
        table("alias.moved", List.of("adapterId", "adapterName", "alias", "version", "versionId", "digest",
                "movedBy"), List.of("previousVersion"));
        table("adapter-version.deprecated", List.of("adapterId", "adapterName", "versionId", "version", "digest"),
                List.of("reason"));
        table("webhook.disabled", List.of("webhookId", "team", "url", "reason", "consecutiveFailures"), List.of());
        training("job.dispatched", List.of("jobId", "attempt", "adapterName", "method", "baseModelId",
                "baseModelName", "baseModelRevision"), List.of("kind", "datasetDigest", "sourceVersionId"));
        training("job.state-changed", List.of("jobId", "adapterName", "state", "attempt"),
                List.of("previousState", "reason", "versionId", "version"));
        training("job.progress", List.of("jobId", "attempt", "step", "totalSteps", "percent"),
                List.of("loss", "learningRate", "tokensPerSecond", "etaSeconds", "evalLoss", "evalExactMatch",
                        "checkpointStep", "phase"));
        training("job.transfer-gated", List.of("jobId", "adapterName", "versionId", "version", "decision",
                "margin"), List.of("sourceExactMatch", "targetBaseExactMatch", "transferredExactMatch",
                "transferMethod", "aliases", "reason", "actor"));
    }

    /** Which topic carries each type, as the README's tables say. */
    private static Map<String, Set<String>> typesByTopic() {
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (String type : README_TABLE.keySet()) {
            String topic = type.startsWith("dev.adapterhub.registry.") ? REGISTRY_TOPIC
                    : type.equals("dev.adapterhub.training.job.dispatched") ? JOBS_TOPIC : TRAINING_EVENTS_TOPIC;
            result.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(type);
        }
        return result;
    }

    private record Fields(Set<String> required, Set<String> optional) {
    }

    private static void table(String suffix, List<String> required, List<String> optional) {
        README_TABLE.put("dev.adapterhub.registry." + suffix,
                new Fields(new TreeSet<>(required), new TreeSet<>(optional)));
    }

    private static void training(String suffix, List<String> required, List<String> optional) {
        README_TABLE.put("dev.adapterhub.training." + suffix,
                new Fields(new TreeSet<>(required), new TreeSet<>(optional)));
    }

    @Test
    void envelopeListsExactlyTheReadmeTypes() {
        JsonNode envelope = read(EventSchemas.ENVELOPE_SCHEMA);
        List<String> listed = new ArrayList<>();
        envelope.path("properties").path("type").path("enum").forEach(t -> listed.add(t.asText()));
        assertEquals(List.copyOf(README_TABLE.keySet()), listed);
        assertEquals(Set.copyOf(listed), EventSchemas.knownTypes());
        assertFalse(envelope.path("additionalProperties").asBoolean(true));
    }

    @Test
    void everyTypeHasADataSchemaWithTheReadmeFields() {
        for (Map.Entry<String, Fields> entry : README_TABLE.entrySet()) {
            String type = entry.getKey();
            JsonNode schema = read(EventSchemas.dataSchemaPath(type));
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), type);
            assertEquals("urn:adapterhub:schema:" + type, schema.path("$id").asText(), type);
            assertTrue(schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(),
                    type + " must set additionalProperties: false");

            Set<String> required = new TreeSet<>();
            schema.path("required").forEach(f -> required.add(f.asText()));
            Set<String> all = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(all::add);
            Set<String> optional = new TreeSet<>(all);
            optional.removeAll(required);

            assertEquals(entry.getValue().required(), required, type + " required fields");
            assertEquals(entry.getValue().optional(), optional, type + " optional fields");
            for (String field : all) {
                JsonNode property = schema.path("properties").path(field);
                if (field.endsWith("Id")) {
                    assertEquals("uuid", property.path("format").asText(), type + "." + field + " is an id");
                }
                if (field.equals("digest")) {
                    assertEquals("^sha256:[0-9a-f]{64}$", property.path("pattern").asText(), type + ".digest");
                }
                if (field.equals("version") || field.endsWith("Version")) {
                    assertEquals("integer", property.path("type").asText(), type + "." + field);
                    assertEquals(1, property.path("minimum").asInt(), type + "." + field);
                }
            }
        }
    }

    @Test
    void noOrphanDataSchemaFiles() throws IOException, URISyntaxException {
        for (String group : List.of("registry", "training")) {
            URL dir = getClass().getClassLoader().getResource("events/" + group);
            assertNotNull(dir);
            Set<String> expected = README_TABLE.keySet().stream()
                    .map(EventSchemas::dataSchemaPath)
                    .filter(p -> p.startsWith("events/" + group + "/"))
                    .map(p -> p.substring(p.lastIndexOf('/') + 1))
                    .collect(Collectors.toCollection(TreeSet::new));
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                Set<String> present = files.map(p -> p.getFileName().toString())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEquals(expected, present, group);
            }
        }
    }

    @Test
    void asyncApiParsesAndDescribesEveryEventTopic() {
        JsonNode doc = read(ASYNCAPI);
        assertEquals("3.0.0", doc.path("asyncapi").asText());
        assertEquals("kafka", doc.path("servers").path("kafka").path("protocol").asText());

        Map<String, String> sendOperationByTopic = Map.of(
                REGISTRY_TOPIC, "publishRegistryEvents",
                JOBS_TOPIC, "dispatchTrainingJobs",
                TRAINING_EVENTS_TOPIC, "publishTrainingEvents");
        Map<String, Set<String>> expectedByTopic = typesByTopic();
        assertEquals(sendOperationByTopic.keySet(), expectedByTopic.keySet());

        for (Map.Entry<String, Set<String>> topic : expectedByTopic.entrySet()) {
            JsonNode channel = channelWithAddress(doc, topic.getKey());
            assertNotNull(channel, "no channel with address " + topic.getKey());
            assertEquals(topic.getKey(), channel.path("bindings").path("kafka").path("topic").asText());

            // Each channel message is a component message whose name is its CloudEvents type.
            Set<String> channelTypes = new LinkedHashSet<>();
            channel.path("messages").forEach(ref -> {
                JsonNode message = resolveLocal(doc, ref.path("$ref").asText());
                String type = message.path("name").asText();
                channelTypes.add(type);

                JsonNode trait = resolveLocal(doc, message.path("traits").path(0).path("$ref").asText());
                assertEquals("application/cloudevents+json", trait.path("contentType").asText(), type);
                assertEquals("string", trait.path("bindings").path("kafka").path("key").path("type").asText(),
                        type);

                JsonNode allOf = message.path("payload").path("allOf");
                assertEquals("../events/cloudevent-envelope.json", allOf.path(0).path("$ref").asText(), type);
                JsonNode refined = allOf.path(1).path("properties");
                assertEquals(type, refined.path("type").path("const").asText(), type);
                assertEquals("../" + EventSchemas.dataSchemaPath(type), refined.path("data").path("$ref").asText(),
                        type + " data must reference its own schema");
            });
            assertEquals(topic.getValue(), channelTypes, topic.getKey());

            // registry-service sends every message of the channel.
            JsonNode operation = doc.path("operations").path(sendOperationByTopic.get(topic.getKey()));
            assertEquals("send", operation.path("action").asText(), topic.getKey());
            assertEquals(channel, resolveLocal(doc, operation.path("channel").path("$ref").asText()));
            Set<String> sent = new LinkedHashSet<>();
            operation.path("messages").forEach(ref -> sent.add(resolveLocal(doc, ref.path("$ref").asText())
                    .path("name").asText()));
            assertEquals(topic.getValue(), sent, topic.getKey());
        }

        // Workers receive dispatches; the dead-letter topic exists and is written by the worker.
        assertEquals("receive", doc.path("operations").path("receiveTrainingJobs").path("action").asText());
        JsonNode dlq = channelWithAddress(doc, DLQ_TOPIC);
        assertNotNull(dlq, "no channel with address " + DLQ_TOPIC);
        assertEquals("send", doc.path("operations").path("sendDeadLetters").path("action").asText());
        assertEquals(dlq, resolveLocal(doc,
                doc.path("operations").path("sendDeadLetters").path("channel").path("$ref").asText()));
    }

    @Test
    void asyncApiReferencesEverySchemaFileAndOnlyExistingOnes() {
        JsonNode doc = read(ASYNCAPI);
        Set<String> external = new TreeSet<>();
        collectRefs(doc, external);
        external.removeIf(ref -> ref.startsWith("#"));

        Set<String> resolved = new TreeSet<>();
        for (String ref : external) {
            String path = URI.create("classpath:/" + ASYNCAPI).resolve(ref).getPath().substring(1);
            assertNotNull(getClass().getClassLoader().getResource(path), ref + " does not resolve to a file");
            resolved.add(path);
        }
        Set<String> expected = new TreeSet<>();
        expected.add(EventSchemas.ENVELOPE_SCHEMA);
        README_TABLE.keySet().forEach(type -> expected.add(EventSchemas.dataSchemaPath(type)));
        assertEquals(expected, resolved);

        Set<String> local = new TreeSet<>();
        collectRefs(doc, local);
        local.removeIf(ref -> !ref.startsWith("#"));
        for (String ref : local) {
            assertFalse(resolveLocal(doc, ref).isMissingNode(), ref + " points nowhere");
        }
    }

    private static JsonNode channelWithAddress(JsonNode doc, String address) {
        for (JsonNode channel : doc.path("channels")) {
            if (address.equals(channel.path("address").asText())) {
                return channel;
            }
        }
        return null;
    }

    /** Follows a local $ref, and the $ref chain it may lead to (operation message -> channel message -> component). */
    private static JsonNode resolveLocal(JsonNode doc, String ref) {
        assertTrue(ref.startsWith("#/"), "not a local $ref: " + ref);
        JsonNode target = doc.at(ref.substring(1));
        JsonNode next = target.path("$ref");
        return next.isTextual() && next.asText().startsWith("#/") ? resolveLocal(doc, next.asText()) : target;
    }

    private static void collectRefs(JsonNode node, Set<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static JsonNode read(String path) {
        try (InputStream in = ContractFilesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, "missing on the classpath: " + path);
            return (path.endsWith(".yaml") ? YAML : JSON).readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse " + path, e);
        }
    }
}
