package dev.adapterhub.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds hand-written example events (src/test/resources/examples) and broken variants of them through
 * {@link EventSchemas#validate}.
 */
class EventSchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BAD_UUID = "not-a-uuid";

    static Stream<String> types() {
        return EventSchemas.knownTypes().stream();
    }

    /** (type, name of one required data field) for every required field of every type. */
    static Stream<Arguments> requiredDataFields() {
        List<Arguments> result = new ArrayList<>();
        for (String type : EventSchemas.knownTypes()) {
            for (JsonNode field : schemaOf(type).path("required")) {
                result.add(Arguments.of(type, field.asText()));
            }
        }
        return result.stream();
    }

    /** (type, name of one data field with format uuid) for every such field of every type. */
    static Stream<Arguments> uuidDataFields() {
        return fieldsWhere(node -> "uuid".equals(node.path("format").asText()));
    }

    /** (type, name of one digest field) for every such field of every type. */
    static Stream<Arguments> digestDataFields() {
        return fieldsWhere(node -> node.path("pattern").asText().startsWith("^sha256:"));
    }

    @ParameterizedTest
    @MethodSource("types")
    void exampleOfEveryTypeIsValid(String type) {
        assertEquals(List.of(), EventSchemas.validate(example(type).toString()));
    }

    @ParameterizedTest
    @MethodSource("types")
    void exampleWithoutOptionalDataFieldsIsValid(String type) {
        ObjectNode event = example(type);
        ObjectNode data = (ObjectNode) event.get("data");
        List<String> required = new ArrayList<>();
        schemaOf(type).path("required").forEach(field -> required.add(field.asText()));
        data.retain(required);
        assertEquals(List.of(), EventSchemas.validate(event));
    }

    @ParameterizedTest
    @MethodSource("requiredDataFields")
    void missingRequiredDataFieldFails(String type, String field) {
        ObjectNode event = example(type);
        ((ObjectNode) event.get("data")).remove(field);
        assertViolation(event, "$.data", "required property '" + field + "'");
    }

    @ParameterizedTest
    @MethodSource("types")
    void extraDataFieldFails(String type) {
        ObjectNode event = example(type);
        ((ObjectNode) event.get("data")).put("unexpected", "x");
        assertViolation(event, "$.data", "'unexpected'");
    }

    @ParameterizedTest
    @MethodSource("uuidDataFields")
    void badUuidInDataFails(String type, String field) {
        ObjectNode event = example(type);
        ((ObjectNode) event.get("data")).put(field, BAD_UUID);
        assertViolation(event, "$.data." + field, "");
    }

    @ParameterizedTest
    @MethodSource("uuidDataFields")
    void upperCaseUuidInDataFails(String type, String field) {
        ObjectNode event = example(type);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put(field, data.get(field).asText().toUpperCase());
        assertViolation(event, "$.data." + field, "");
    }

    @ParameterizedTest
    @MethodSource("digestDataFields")
    void badDigestFails(String type, String field) {
        for (String bad : List.of("sha256:abc", "md5:" + "0".repeat(32), "sha256:" + "A".repeat(64), "0".repeat(64))) {
            ObjectNode event = example(type);
            ((ObjectNode) event.get("data")).put(field, bad);
            assertViolation(event, "$.data." + field, "");
        }
    }

    @ParameterizedTest
    @MethodSource("optionalDataFields")
    void nullOptionalDataFieldFails(String type, String field) {
        // Optional means omitted: a producer serialising nulls would break consumers that test for presence.
        ObjectNode event = example(type);
        ((ObjectNode) event.get("data")).putNull(field);
        assertViolation(event, "$.data." + field, "");
    }

    /** (type, name of one optional data field) for every optional field of every type. */
    static Stream<Arguments> optionalDataFields() {
        List<Arguments> result = new ArrayList<>();
        for (String type : EventSchemas.knownTypes()) {
            JsonNode schema = schemaOf(type);
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(field -> required.add(field.asText()));
            schema.path("properties").fieldNames().forEachRemaining(field -> {
                if (!required.contains(field)) {
                    result.add(Arguments.of(type, field));
                }
            });
        }
        return result.stream();
    }

    @Test
    void unknownTypeFails() {
        ObjectNode event = example("dev.adapterhub.registry.adapter.created");
        event.put("type", "dev.adapterhub.registry.adapter.renamed");
        event.put("dataschema", "urn:adapterhub:schema:dev.adapterhub.registry.adapter.renamed");
        List<String> violations = EventSchemas.validate(event);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("$.type:")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("no data schema")), violations::toString);
    }

    @Test
    void unknownMethodFails() {
        ObjectNode event = example("dev.adapterhub.registry.adapter.created");
        ((ObjectNode) event.get("data")).put("method", "DORA");
        assertViolation(event, "$.data.method", "");
    }

    @Test
    void versionZeroFails() {
        ObjectNode event = example("dev.adapterhub.registry.adapter-version.published");
        ((ObjectNode) event.get("data")).put("version", 0);
        assertViolation(event, "$.data.version", "");
    }

    @Test
    void versionAsStringFails() {
        ObjectNode event = example("dev.adapterhub.registry.adapter-version.published");
        ((ObjectNode) event.get("data")).put("version", "2");
        assertViolation(event, "$.data.version", "");
    }

    @Test
    void peftTypeOutsideLoraAndShiraFails() {
        ObjectNode event = example("dev.adapterhub.registry.adapter-version.published");
        ((ObjectNode) event.get("data")).put("peftType", "LORA_GA");
        assertViolation(event, "$.data.peftType", "");
    }

    @Test
    void nonStringTagFails() {
        ObjectNode event = example("dev.adapterhub.registry.adapter.created");
        ((ObjectNode) event.get("data")).putArray("tags").add(3);
        assertViolation(event, "$.data.tags[0]", "string expected");
    }

    @Test
    void envelopeExtraFieldFails() {
        ObjectNode event = example("dev.adapterhub.registry.base-model.retired");
        event.put("traceparent", "00-abc");
        assertViolation(event, "$", "'traceparent'");
    }

    @ParameterizedTest
    @MethodSource("envelopeFields")
    void envelopeMissingFieldFails(String field) {
        ObjectNode event = example("dev.adapterhub.registry.base-model.retired");
        event.remove(field);
        assertViolation(event, "$", "required property '" + field + "'");
    }

    static Stream<String> envelopeFields() {
        return Stream.of("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema",
                "data");
    }

    @Test
    void envelopeBadValuesFail() {
        assertEnvelopeViolation("specversion", "0.3");
        assertEnvelopeViolation("id", BAD_UUID);
        assertEnvelopeViolation("subject", BAD_UUID);
        assertEnvelopeViolation("time", "yesterday");
        assertEnvelopeViolation("time", "2025-06-01 12:34:56");
        assertEnvelopeViolation("datacontenttype", "application/xml");
        assertEnvelopeViolation("source", "registry-service");
    }

    @Test
    void dataschemaMustMatchType() {
        ObjectNode event = example("dev.adapterhub.registry.base-model.retired");
        event.put("dataschema", "urn:adapterhub:schema:dev.adapterhub.registry.base-model.registered");
        assertViolation(event, "$.dataschema", "must be 'urn:adapterhub:schema:dev.adapterhub.registry.base-model.retired'");
    }

    @Test
    void subjectMustBeTheAggregateId() {
        ObjectNode baseModelEvent = example("dev.adapterhub.registry.base-model.superseded");
        baseModelEvent.put("subject", baseModelEvent.get("data").get("supersededById").asText());
        assertViolation(baseModelEvent, "$.subject", "baseModelId");

        ObjectNode versionEvent = example("dev.adapterhub.registry.adapter-version.published");
        versionEvent.put("subject", versionEvent.get("data").get("versionId").asText());
        assertViolation(versionEvent, "$.subject", "adapterId");

        ObjectNode jobEvent = example("dev.adapterhub.training.job.state-changed");
        jobEvent.put("subject", jobEvent.get("data").get("versionId").asText());
        assertViolation(jobEvent, "$.subject", "jobId");
    }

    @Test
    void dataMustBeAnObject() {
        ObjectNode event = example("dev.adapterhub.registry.base-model.retired");
        event.putArray("data");
        assertViolation(event, "$.data", "");
    }

    @Test
    void notJsonFails() {
        List<String> violations = EventSchemas.validate("{\"specversion\": ");
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("$: not valid JSON"), violations::toString);
    }

    @Test
    void dataSchemaPathFollowsTheTypeNamingRule() {
        assertEquals("events/registry/adapter-version.published.json",
                EventSchemas.dataSchemaPath("dev.adapterhub.registry.adapter-version.published"));
        assertEquals("events/training/job.submitted.json",
                EventSchemas.dataSchemaPath("dev.adapterhub.training.job.submitted"));
        assertThrows(IllegalArgumentException.class, () -> EventSchemas.dataSchemaPath("com.example.registry.x"));
        assertThrows(IllegalArgumentException.class, () -> EventSchemas.dataSchemaPath("dev.adapterhub.registry"));
    }

    private static void assertEnvelopeViolation(String field, String value) {
        ObjectNode event = example("dev.adapterhub.registry.base-model.retired");
        event.put(field, value);
        assertViolation(event, "$." + field, "");
    }

    /** Asserts at least one violation at {@code path} whose message contains {@code messagePart}. */
    private static void assertViolation(JsonNode event, String path, String messagePart) {
        List<String> violations = EventSchemas.validate(event.toString());
        assertFalse(violations.isEmpty(), "expected a violation at " + path);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith(path + ": ") && v.contains(messagePart)),
                "expected a violation at " + path + " containing '" + messagePart + "', got " + violations);
    }

    private static Stream<Arguments> fieldsWhere(java.util.function.Predicate<JsonNode> predicate) {
        List<Arguments> result = new ArrayList<>();
        for (String type : EventSchemas.knownTypes()) {
            schemaOf(type).path("properties").fields().forEachRemaining(entry -> {
                if (predicate.test(entry.getValue())) {
                    result.add(Arguments.of(type, entry.getKey()));
                }
            });
        }
        return result.stream();
    }

    static ObjectNode example(String type) {
        // Same layout as the schemas: dev.adapterhub.<group>.<rest> -> examples/<group>/<rest>.json
        return (ObjectNode) readClasspath("examples/" + EventSchemas.dataSchemaPath(type).substring("events/".length()));
    }

    static JsonNode schemaOf(String type) {
        return readClasspath(EventSchemas.dataSchemaPath(type));
    }

    static JsonNode readClasspath(String path) {
        try (InputStream in = EventSchemasTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing on the classpath: " + path);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
