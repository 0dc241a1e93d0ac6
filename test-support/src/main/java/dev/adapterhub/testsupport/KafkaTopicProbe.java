package dev.adapterhub.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sees what was published to one Kafka topic between two moments of a test, without joining a consumer group
 * (so it never steals records from the application under test).
 *
 * <pre>{@code
 * try (KafkaTopicProbe probe = KafkaTopicProbe.mark(bootstrapServers, "adapterhub.adapter-events")) {
 *     // ... call the API ...
 *     List<ConsumerRecord<String, String>> events = probe.awaitRecords(
 *             r -> r.value().contains("\"type\":\"adapter.registered\"") && subject.equals(r.key()), 1, Duration.ofSeconds(10));
 *     assertEquals(1, events.size());
 * }
 * }</pre>
 *
 * Keys and values are read as UTF-8 strings; only committed records are returned. Not thread-safe.
 */
public final class KafkaTopicProbe implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Map<TopicPartition, Long> marks;

    private KafkaTopicProbe(KafkaConsumer<String, String> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
        this.marks = endOffsets();
    }

    /**
     * Records the current end of every partition of {@code topic}. A topic that does not exist yet is fine: all
     * its records will count as "since the mark".
     */
    public static KafkaTopicProbe mark(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-topic-probe-" + UUID.randomUUID());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Probing must not create the topic with broker defaults before the application creates it its own way.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        return new KafkaTopicProbe(new KafkaConsumer<>(config), topic);
    }

    /** All records published to the topic after {@link #mark}, in partition then offset order. */
    public List<ConsumerRecord<String, String>> recordsSince() {
        Map<TopicPartition, Long> ends = endOffsets();
        List<TopicPartition> partitions = ends.keySet().stream()
                .filter(partition -> ends.get(partition) > marks.getOrDefault(partition, 0L))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .collect(Collectors.toList());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        if (partitions.isEmpty()) {
            return records;
        }
        partitions.forEach(partition -> consumer.seek(partition, marks.getOrDefault(partition, 0L)));
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Could not read " + topic + " up to " + ends + " within " + READ_TIMEOUT);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (partitions.contains(partition) && record.offset() >= marks.getOrDefault(partition, 0L)
                        && record.offset() < ends.get(partition)) {
                    byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
                }
            }
        }
        partitions.forEach(partition -> records.addAll(byPartition.getOrDefault(partition, List.of())));
        return records;
    }

    /** The records since the mark that match {@code predicate}. */
    public List<ConsumerRecord<String, String>> recordsSince(Predicate<ConsumerRecord<String, String>> predicate) {
        return recordsSince().stream().filter(predicate).collect(Collectors.toList());
    }

    /**
     * Waits until at least {@code count} records since the mark match {@code predicate} and returns all matching
     * records seen at that moment. To assert "exactly one", wait for 1 and assert the returned list has size 1
     * (add {@link #recordsSince(Predicate)} after a later, independent event to rule out late duplicates).
     *
     * @throws org.awaitility.core.ConditionTimeoutException if fewer matching records arrive within {@code timeout}
     */
    public List<ConsumerRecord<String, String>> awaitRecords(
            Predicate<ConsumerRecord<String, String>> predicate, int count, Duration timeout) {
        List<List<ConsumerRecord<String, String>>> last = new ArrayList<>(1);
        await("at least " + count + " matching record(s) on " + topic)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .pollInSameThread() // a KafkaConsumer must only be used from one thread
                .until(() -> {
                    last.clear();
                    last.add(recordsSince(predicate));
                    return last.get(0).size() >= count;
                });
        return last.get(0);
    }

    private Map<TopicPartition, Long> endOffsets() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .collect(Collectors.toList());
        // read_committed end offsets are only tracked for assigned partitions; assigning also prepares seeking.
        consumer.assign(partitions);
        return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(10)));
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
