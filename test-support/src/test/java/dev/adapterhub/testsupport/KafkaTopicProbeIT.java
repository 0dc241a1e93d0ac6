package dev.adapterhub.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.localstack.LocalBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaTopicProbeIT {

    private static BackendsTestResource resource;
    private static Map<String, String> config;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        resource = new BackendsTestResource();
        config = resource.start();
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers"));
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(producerConfig);
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        resource.stop();
        assertThrows(IllegalStateException.class, BackendsTestResource::backends);
    }

    @Test
    void resourceHandsTheApplicationTheBackendsAndDisablesDevServices() {
        LocalBackends backends = BackendsTestResource.backends();
        assertEquals("false", config.get("quarkus.devservices.enabled"));
        backends.serviceProperties().forEach((key, value) -> assertEquals(value, config.get(key), key));
        assertEquals(resource.start(), config, "a second start reuses the running backends");
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"));
        assertTrue(Files.isDirectory(dataDir));
    }

    @Test
    void returnsOnlyRecordsProducedAfterTheMark() throws Exception {
        String topic = "probe-" + UUID.randomUUID();
        send(topic, "subject-1", "{\"type\":\"before\"}");
        try (KafkaTopicProbe probe = KafkaTopicProbe.mark(config.get("kafka.bootstrap.servers"), topic)) {
            assertEquals(List.of(), probe.recordsSince());
            send(topic, "subject-1", "{\"type\":\"adapter.registered\"}");
            send(topic, "subject-2", "{\"type\":\"adapter.registered\"}");
            send(topic, "subject-1", "{\"type\":\"adapter.deleted\"}");

            List<ConsumerRecord<String, String>> registered = probe.awaitRecords(
                    r -> "subject-1".equals(r.key()) && r.value().contains("adapter.registered"), 1, Duration.ofSeconds(10));
            assertEquals(1, registered.size());
            assertEquals("{\"type\":\"adapter.registered\"}", registered.get(0).value());

            List<ConsumerRecord<String, String>> all = probe.recordsSince();
            assertEquals(List.of("adapter.registered", "adapter.registered", "adapter.deleted"),
                    all.stream().map(r -> r.value().replaceAll(".*\"type\":\"([^\"]+)\".*", "$1")).toList());
        }
    }

    @Test
    void aTopicThatDidNotExistAtTheMarkCountsFromItsFirstRecord() throws Exception {
        String topic = "probe-new-" + UUID.randomUUID();
        try (KafkaTopicProbe probe = KafkaTopicProbe.mark(config.get("kafka.bootstrap.servers"), topic)) {
            assertEquals(List.of(), probe.recordsSince());
            send(topic, "s", "first");
            List<ConsumerRecord<String, String>> records = probe.awaitRecords(r -> true, 1, Duration.ofSeconds(15));
            assertEquals(List.of("first"), records.stream().map(ConsumerRecord::value).toList());
        }
    }

    @Test
    void awaitRecordsFailsWhenTooFewRecordsMatch() throws Exception {
        String topic = "probe-" + UUID.randomUUID();
        send(topic, "k", "only-one");
        try (KafkaTopicProbe probe = KafkaTopicProbe.mark(config.get("kafka.bootstrap.servers"), topic)) {
            send(topic, "k", "after-mark");
            assertThrows(ConditionTimeoutException.class,
                    () -> probe.awaitRecords(r -> r.value().startsWith("after"), 2, Duration.ofSeconds(2)));
        }
    }

    private static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
}
