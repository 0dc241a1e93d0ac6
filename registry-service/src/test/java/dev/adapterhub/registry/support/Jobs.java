package dev.adapterhub.registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.schemas.EventSchemas;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RestAssured and Kafka helpers for the training-job tests. */
public final class Jobs {

    public static final String DISPATCH_TOPIC = "adapterhub.training.jobs.v1";
    public static final String EVENTS_TOPIC = "adapterhub.training.events.v1";
    public static final List<String> TABLES = List.of("training_dataset", "training_job", "training_job_event",
            "outbox_event");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Jobs() {
    }

    /** {@code n} distinct prompt/completion lines. */
    public static byte[] jsonl(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("{\"prompt\": \"ticket ").append(i).append(": printer jams\", \"completion\": \"summary ")
                    .append(i).append("\"}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Response uploadDataset(byte[] bytes) {
        return given().multiPart("file", "train.jsonl", bytes, "application/jsonl").multiPart("team", "team-a")
                .when().post("/api/v1/datasets");
    }

    /** Uploads 30 examples no other test uploaded (uploads are stored once per digest); returns the digest. */
    public static String freshDataset(String prefix) {
        String marker = Api.unique(prefix);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("{\"prompt\": \"").append(marker).append(" ticket ").append(i)
                    .append(": printer jams\", \"completion\": \"summary ").append(i).append("\"}\n");
        }
        return uploadDataset(lines.toString().getBytes(StandardCharsets.UTF_8)).then().statusCode(201)
                .extract().path("digest");
    }

    /** Uploads {@code n} fresh examples and returns the digest. */
    public static String dataset(int n) {
        return uploadDataset(jsonl(n)).then().statusCode(201).extract().path("digest");
    }

    public static Map<String, Object> request(String base, String dataset, String method, String adapter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("baseModel", base);
        body.put("dataset", dataset);
        body.put("method", method);
        body.put("adapterName", adapter);
        body.put("team", "team-a");
        return body;
    }

    public static Response submit(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/training-jobs");
    }

    public static Response post(String jobId, String action, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/training-jobs/" + jobId + "/" + action);
    }

    public static Response claim(String jobId, int attempt) {
        return post(jobId, "claim", Map.of("workerId", "worker-test-1", "attempt", attempt));
    }

    public static Map<String, Long> rows(DataSource dataSource) {
        return State.rows(dataSource, TABLES);
    }

    public static KafkaTopicProbe mark(DataSource dataSource, String topic) {
        EventAssertions.awaitDrained(dataSource);
        return KafkaTopicProbe.mark(BackendsTestResource.backends().kafka().bootstrapServers(), topic);
    }

    /**
     * Waits for {@code count} events of {@code type} about {@code jobId}, drains the outbox (so a duplicate would
     * have arrived), asserts there are exactly {@code count}, each schema-valid, keyed by the job id; returns
     * their {@code data} in order.
     */
    public static List<JsonNode> assertEvents(KafkaTopicProbe probe, DataSource dataSource, String type,
                                              String jobId, int count) {
        probe.awaitRecords(r -> matches(r, type, jobId), count, Duration.ofSeconds(20));
        EventAssertions.awaitDrained(dataSource);
        List<ConsumerRecord<String, String>> records = probe.recordsSince(r -> matches(r, type, jobId));
        assertEquals(count, records.size(), () -> "expected " + count + " " + type + " for " + jobId + ": " + records);
        List<JsonNode> data = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            List<String> violations = EventSchemas.validate(record.value());
            assertTrue(violations.isEmpty(), () -> "schema violations: " + violations + " in " + record.value());
            assertEquals(jobId, record.key());
            assertEquals("application/cloudevents+json",
                    new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
            try {
                data.add(MAPPER.readTree(record.value()).get("data"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return data;
    }

    private static boolean matches(ConsumerRecord<String, String> record, String type, String jobId) {
        return jobId.equals(record.key()) && record.value().contains("\"type\":\"" + type + "\"");
    }
}
