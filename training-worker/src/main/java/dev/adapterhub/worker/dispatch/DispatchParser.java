package dev.adapterhub.worker.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.UUID;

/**
 * Reads a record of the dispatch topic (a structured-mode CloudEvent of type
 * {@code dev.adapterhub.training.job.dispatched}). Checks only what the worker relies on, so a newer producer
 * adding fields never sends records to the dead-letter topic.
 */
public final class DispatchParser {

    public static final String TYPE = "dev.adapterhub.training.job.dispatched";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DispatchParser() {
    }

    public static Dispatch parse(String key, String value) throws MalformedDispatchException {
        if (value == null || value.isBlank()) {
            throw new MalformedDispatchException("empty record value");
        }
        JsonNode event;
        try {
            event = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new MalformedDispatchException("record value is not JSON");
        }
        if (event == null || !event.isObject()) {
            throw new MalformedDispatchException("record value is not a JSON object");
        }
        if (!"1.0".equals(event.path("specversion").asText())) {
            throw new MalformedDispatchException("not a CloudEvents 1.0 event");
        }
        if (!TYPE.equals(event.path("type").asText())) {
            throw new MalformedDispatchException("unexpected event type '" + event.path("type").asText() + "'");
        }
        JsonNode data = event.path("data");
        UUID jobId = uuid(data.path("jobId"), "data.jobId");
        if (!data.path("attempt").isInt() || data.path("attempt").asInt() < 1) {
            throw new MalformedDispatchException("data.attempt must be an integer of at least 1");
        }
        if (key != null && !key.equals(jobId.toString())) {
            throw new MalformedDispatchException("record key " + key + " is not the job id " + jobId);
        }
        return new Dispatch(event.path("id").asText(), jobId, data.path("attempt").asInt());
    }

    private static UUID uuid(JsonNode node, String field) throws MalformedDispatchException {
        if (!node.isTextual()) {
            throw new MalformedDispatchException(field + " is missing");
        }
        try {
            return UUID.fromString(node.asText());
        } catch (IllegalArgumentException e) {
            throw new MalformedDispatchException(field + " is not a UUID");
        }
    }
}
