package dev.adapterhub.transfer.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * The part of a {@code dev.adapterhub.registry.base-model.superseded} CloudEvent the planner needs.
 *
 * @param eventId the CloudEvent id: a redelivery carries the same one, so it keys the planned jobs
 */
record Superseded(String eventId, String baseModelId, String reference, String supersededById,
                  String supersededByReference) {

    static final String TYPE = "dev.adapterhub.registry.base-model.superseded";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a record's CloudEvent; {@link IOException} for a record that is not JSON. */
    static JsonNode read(String value) throws IOException {
        JsonNode event = value == null ? null : JSON.readTree(value);
        if (event == null || !event.isObject()) {
            throw new IOException("not a CloudEvent (no JSON object)");
        }
        return event;
    }

    /** The event, or empty for any other type; {@link IOException} for a superseded event without its fields. */
    static Optional<Superseded> parse(JsonNode event) throws IOException {
        if (!TYPE.equals(event.path("type").asText())) {
            return Optional.empty();
        }
        JsonNode data = event.path("data");
        String id = event.path("id").asText(null);
        String from = data.path("baseModelId").asText(null);
        String to = data.path("supersededById").asText(null);
        if (id == null || from == null || to == null) {
            throw new IOException("a base-model.superseded event without id, data.baseModelId or data.supersededById");
        }
        return Optional.of(new Superseded(id, from, data.path("name").asText() + "@" + data.path("revision").asText(),
                to, data.path("supersededByName").asText() + "@" + data.path("supersededByRevision").asText()));
    }
}
