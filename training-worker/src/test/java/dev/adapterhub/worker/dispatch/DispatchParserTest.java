package dev.adapterhub.worker.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterhub.schemas.EventSchemas;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatchParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JOB = "5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f";

    /** A record exactly as the registry's outbox writes it (checked against the contract below). */
    private static ObjectNode event() {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", "7b0c9a8e-2222-4aaa-8bbb-000000000001");
        event.put("source", "/adapterhub/registry-service");
        event.put("type", DispatchParser.TYPE);
        event.put("subject", JOB);
        event.put("time", "2025-06-01T12:34:56.789Z");
        event.put("datacontenttype", "application/json");
        event.put("dataschema", "urn:adapterhub:schema:" + DispatchParser.TYPE);
        ObjectNode data = event.putObject("data");
        data.put("jobId", JOB);
        data.put("attempt", 2);
        data.put("adapterName", "support-summarizer");
        data.put("method", "LORA");
        data.put("baseModelId", "3f9a1c52-7d4e-4b8a-9c21-5e6f7a8b9c0d");
        data.put("baseModelName", "tiny");
        data.put("baseModelRevision", "v1");
        data.put("datasetDigest", "sha256:" + "ab".repeat(32));
        return event;
    }

    @Test
    void parsesAContractValidDispatch() throws Exception {
        ObjectNode event = event();
        assertEquals(List.of(), EventSchemas.validate(event.toString()));
        Dispatch dispatch = DispatchParser.parse(JOB, event.toString());
        assertEquals(UUID.fromString(JOB), dispatch.jobId());
        assertEquals(2, dispatch.attempt());
        assertEquals("7b0c9a8e-2222-4aaa-8bbb-000000000001", dispatch.eventId());
    }

    @Test
    void malformedRecordsAreRejectedWithAReason() {
        assertReason(null, "empty");
        assertReason("not json {", "not JSON");
        assertReason("[1]", "not a JSON object");
        ObjectNode wrongType = event();
        wrongType.put("type", "dev.adapterhub.training.job.progress");
        assertReason(wrongType.toString(), "unexpected event type");
        ObjectNode noJob = event();
        ((ObjectNode) noJob.get("data")).remove("jobId");
        assertReason(noJob.toString(), "data.jobId is missing");
        ObjectNode badJob = event();
        ((ObjectNode) badJob.get("data")).put("jobId", "nope");
        assertReason(badJob.toString(), "data.jobId is not a UUID");
        ObjectNode badAttempt = event();
        ((ObjectNode) badAttempt.get("data")).put("attempt", 0);
        assertReason(badAttempt.toString(), "data.attempt");
        MalformedDispatchException wrongKey = assertThrows(MalformedDispatchException.class,
                () -> DispatchParser.parse(UUID.randomUUID().toString(), event().toString()));
        assertTrue(wrongKey.getMessage().contains("is not the job id"));
    }

    private static void assertReason(String value, String part) {
        MalformedDispatchException e = assertThrows(MalformedDispatchException.class,
                () -> DispatchParser.parse(JOB, value));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
