package dev.adapterhub.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates AdapterHub events (CloudEvents 1.0, structured mode) against the JSON Schemas packaged in this jar.
 *
 * <p>An event is valid when the envelope matches {@code events/cloudevent-envelope.json} and its {@code data}
 * matches the schema chosen by its {@code type}. The schema of type {@code dev.adapterhub.<group>.<rest>} is
 * {@code events/<group>/<rest>.json}; its {@code $id} is {@code urn:adapterhub:schema:<type>}, which is also the
 * value {@code dataschema} must carry. The {@code subject} must be the id of the aggregate the event is about
 * ({@code data.baseModelId} for base-model events, {@code data.adapterId} for the other registry events,
 * {@code data.jobId} for training-job events), because it is the Kafka
 * record key that keeps one aggregate's events ordered.
 *
 * <p>Schemas are read from the classpath once, when this class is first used; a type listed in the envelope
 * without a schema file fails that initialisation, so a broken jar cannot validate anything.
 */
public final class EventSchemas {

    /** Classpath location of the envelope schema. */
    public static final String ENVELOPE_SCHEMA = "events/cloudevent-envelope.json";

    /** Prefix of every {@code dataschema} value and of every data schema's {@code $id}. */
    public static final String SCHEMA_URN_PREFIX = "urn:adapterhub:schema:";

    private static final String TYPE_PREFIX = "dev.adapterhub.";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final class Holder {
        static final Schemas SCHEMAS = Schemas.load();
    }

    private EventSchemas() {
    }

    /**
     * Validates one event given as the JSON text of its envelope (the Kafka record value).
     *
     * @return the violations, each as {@code <JSON path>: <message>}; empty when the event is valid
     */
    public static List<String> validate(String envelopeJson) {
        Objects.requireNonNull(envelopeJson, "envelopeJson");
        JsonNode envelope;
        try {
            envelope = MAPPER.readTree(envelopeJson);
        } catch (JsonProcessingException e) {
            return List.of("$: not valid JSON: " + e.getOriginalMessage());
        }
        return validate(envelope);
    }

    /**
     * Validates one event given as its parsed envelope.
     *
     * @return the violations, each as {@code <JSON path>: <message>}; empty when the event is valid
     */
    public static List<String> validate(JsonNode envelope) {
        Objects.requireNonNull(envelope, "envelope");
        Schemas schemas = Holder.SCHEMAS;
        List<String> violations = new ArrayList<>(messages(schemas.envelope.validate(envelope), "$"));

        JsonNode type = envelope.path("type");
        JsonNode data = envelope.path("data");
        if (!type.isTextual() || !data.isObject()) {
            return violations;
        }
        JsonSchema dataSchema = schemas.dataByType.get(type.asText());
        if (dataSchema == null) {
            // The envelope's enum already reports it; this line names the real consequence.
            violations.add("$.type: no data schema for type '" + type.asText() + "'");
            return violations;
        }
        violations.addAll(messages(dataSchema.validate(data), "$.data"));

        String expectedDataSchema = SCHEMA_URN_PREFIX + type.asText();
        JsonNode dataschema = envelope.path("dataschema");
        if (dataschema.isTextual() && !expectedDataSchema.equals(dataschema.asText())) {
            violations.add("$.dataschema: must be '" + expectedDataSchema + "' for type '" + type.asText() + "'");
        }
        String aggregateField = aggregateIdField(type.asText());
        JsonNode subject = envelope.path("subject");
        JsonNode aggregateId = aggregateField == null ? null : data.path(aggregateField);
        if (aggregateId != null && subject.isTextual() && aggregateId.isTextual()
                && !subject.asText().equals(aggregateId.asText())) {
            violations.add("$.subject: must equal $.data." + aggregateField + " (the aggregate id and Kafka key)");
        }
        return violations;
    }

    /** Every event type that has a data schema, in the order the envelope lists them. */
    public static Set<String> knownTypes() {
        return Holder.SCHEMAS.dataByType.keySet();
    }

    /**
     * The classpath location of the data schema of {@code type}: {@code dev.adapterhub.<group>.<rest>} maps to
     * {@code events/<group>/<rest>.json}.
     *
     * @throws IllegalArgumentException when {@code type} is not of the form {@code dev.adapterhub.<group>.<rest>}
     */
    public static String dataSchemaPath(String type) {
        if (!type.startsWith(TYPE_PREFIX)) {
            throw new IllegalArgumentException("event type must start with '" + TYPE_PREFIX + "': " + type);
        }
        String rest = type.substring(TYPE_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot == rest.length() - 1) {
            throw new IllegalArgumentException("event type must be dev.adapterhub.<group>.<name>: " + type);
        }
        return "events/" + rest.substring(0, dot) + "/" + rest.substring(dot + 1) + ".json";
    }

    /** The data field holding the aggregate id of {@code type}, or null where the contract names none yet. */
    private static String aggregateIdField(String type) {
        if (type.startsWith(TYPE_PREFIX + "registry.base-model.")) {
            return "baseModelId";
        }
        if (type.startsWith(TYPE_PREFIX + "registry.")) {
            return "adapterId";
        }
        if (type.startsWith(TYPE_PREFIX + "training.job.")) {
            return "jobId";
        }
        return null;
    }

    private static List<String> messages(Set<ValidationMessage> messages, String root) {
        List<String> result = new ArrayList<>(messages.size());
        for (ValidationMessage message : messages) {
            // Locations are relative to the validated node ("$", "$.name"); re-root them under the envelope.
            String location = message.getInstanceLocation().toString();
            String path = root + location.substring(1);
            result.add(path + ": " + message.getError());
        }
        Collections.sort(result);
        return result;
    }

    private record Schemas(JsonSchema envelope, Map<String, JsonSchema> dataByType) {

        static Schemas load() {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    // Draft 2020-12 treats "format" as an annotation; the contract relies on it being checked.
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH)
                    .build();
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

            JsonNode envelopeNode = readClasspathJson(ENVELOPE_SCHEMA);
            JsonSchema envelope = factory.getSchema(SchemaLocation.of("classpath:" + ENVELOPE_SCHEMA), envelopeNode,
                    config);

            Map<String, JsonSchema> dataByType = new LinkedHashMap<>();
            for (JsonNode typeNode : envelopeNode.path("properties").path("type").path("enum")) {
                String type = typeNode.asText();
                String path = dataSchemaPath(type);
                JsonNode node = readClasspathJson(path);
                String id = node.path("$id").asText();
                if (!id.equals(SCHEMA_URN_PREFIX + type)) {
                    throw new IllegalStateException(path + " has $id '" + id + "', expected '" + SCHEMA_URN_PREFIX
                            + type + "'");
                }
                dataByType.put(type, factory.getSchema(SchemaLocation.of("classpath:" + path), node, config));
            }
            if (dataByType.isEmpty()) {
                throw new IllegalStateException(ENVELOPE_SCHEMA + " lists no event types");
            }
            return new Schemas(envelope, Collections.unmodifiableMap(dataByType));
        }

        private static JsonNode readClasspathJson(String path) {
            try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("schema not on the classpath: " + path);
                }
                return MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + path, e);
            }
        }
    }
}
