package dev.adapterhub.registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.schemas.EventSchemas;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the registry topic and checks that a change produced exactly one schema-valid CloudEvent. */
public final class EventAssertions {

    public static final String TOPIC = "adapterhub.registry.events.v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventAssertions() {
    }

    /** Marks the topic's end after earlier changes were relayed, so only what the test does next counts. */
    public static KafkaTopicProbe mark(DataSource dataSource) {
        awaitDrained(dataSource);
        return KafkaTopicProbe.mark(BackendsTestResource.backends().kafka().bootstrapServers(), TOPIC);
    }

    public static void awaitDrained(DataSource dataSource) {
        await("outbox drained").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> State.pendingOutbox(dataSource) == 0);
    }

    /**
     * Waits for the event of {@code type} (full CloudEvents type) with {@code subject}, waits until the outbox is
     * drained (so a duplicate would have been sent by now), asserts exactly one such event, validates it against
     * the schemas and returns its {@code data}.
     */
    public static JsonNode assertExactlyOne(KafkaTopicProbe probe, DataSource dataSource, String type, String subject) {
        probe.awaitRecords(r -> matches(r, type, subject), 1, Duration.ofSeconds(20));
        awaitDrained(dataSource);
        List<ConsumerRecord<String, String>> records = probe.recordsSince(r -> matches(r, type, subject));
        assertEquals(1, records.size(), () -> "expected exactly one " + type + " for " + subject + ": " + records);
        ConsumerRecord<String, String> record = records.get(0);
        List<String> violations = EventSchemas.validate(record.value());
        assertTrue(violations.isEmpty(), () -> "schema violations: " + violations + " in " + record.value());
        Header contentType = record.headers().lastHeader("content-type");
        assertNotNull(contentType, "content-type header missing");
        assertEquals("application/cloudevents+json", new String(contentType.value(), StandardCharsets.UTF_8));
        assertEquals(subject, record.key());
        try {
            return MAPPER.readTree(record.value()).get("data");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that no event at all was published for {@code subject} since the mark (after draining the outbox). */
    public static void assertNone(KafkaTopicProbe probe, DataSource dataSource, String subject) {
        awaitDrained(dataSource);
        List<ConsumerRecord<String, String>> records = probe.recordsSince(r -> subject.equals(r.key()));
        assertTrue(records.isEmpty(), () -> "unexpected events: " + records);
    }

    private static boolean matches(ConsumerRecord<String, String> record, String type, String subject) {
        return subject.equals(record.key()) && record.value().contains("\"type\":\"" + type + "\"");
    }
}
