package dev.adapterhub.worker.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies records no worker can act on, byte for byte, to the dead-letter topic with {@code x-dlq-*} headers
 * (the AsyncAPI contract), so the dispatch topic keeps moving and an operator can inspect or replay them.
 */
final class DeadLetters implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    DeadLetters(String bootstrapServers, String topic, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dlq");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Returns once the broker has the copy: only then may the source offset be committed. */
    void send(ConsumerRecord<byte[], byte[]> source, String reason) throws InterruptedException {
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, null, source.key(), source.value());
        copy.headers().add("x-dlq-reason", utf8(reason));
        copy.headers().add("x-dlq-source-topic", utf8(source.topic()));
        copy.headers().add("x-dlq-source-partition", utf8(String.valueOf(source.partition())));
        copy.headers().add("x-dlq-source-offset", utf8(String.valueOf(source.offset())));
        try {
            producer.send(copy).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to the dead-letter topic " + topic + ": " + e, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
