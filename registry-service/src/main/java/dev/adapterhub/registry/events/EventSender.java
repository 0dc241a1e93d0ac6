package dev.adapterhub.registry.events;

import dev.adapterhub.registry.config.RegistryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one CloudEvent (structured mode) and waits for the broker's acknowledgement. Idempotent producer with
 * {@code acks=all}: a retried send never duplicates on the broker, and "acknowledged" means replicated.
 */
@ApplicationScoped
public class EventSender {

    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private static final Logger LOG = Logger.getLogger(EventSender.class);

    private final RegistryConfig.Events config;
    private KafkaProducer<String, String> producer;
    private final Set<String> readyTopics = new HashSet<>();

    public EventSender(RegistryConfig config) {
        this.config = config.events();
    }

    /** Sends to the registry lifecycle topic and blocks until acknowledged. */
    public void send(String key, String cloudEventJson) {
        send(null, key, cloudEventJson);
    }

    /**
     * Sends to {@code topic} (null: the registry lifecycle topic) and blocks until acknowledged; throws
     * {@link EventSendException} otherwise.
     */
    public synchronized void send(String topic, String key, String cloudEventJson) {
        String target = topic == null ? config.topic() : topic;
        Duration timeout = config.sendTimeout();
        ProducerRecord<String, String> record = new ProducerRecord<>(target, key, cloudEventJson);
        record.headers().add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        try {
            ensureTopic(target);
            producer().send(record).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventSendException("Interrupted while sending", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Start over with a fresh producer: after a delivery timeout the old one may hold stale state.
            discardProducer();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new EventSendException("Kafka send failed: " + cause.getMessage(), cause);
        }
    }

    /**
     * Creates the topic with the configured partition count when it does not exist, rather than relying on broker
     * auto-creation (off in most production clusters, and it would pick the broker's default partition count).
     */
    private void ensureTopic(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        if (readyTopics.contains(topic) || !config.createTopic()) {
            return;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis());
        try (Admin admin = Admin.create(props)) {
            long timeout = config.sendTimeout().toMillis();
            if (!admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).contains(topic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(config.topicPartitions()),
                            Optional.empty()))).all().get(timeout, TimeUnit.MILLISECONDS);
                    LOG.infof("Created topic %s with %d partitions", topic, config.topicPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        readyTopics.add(topic);
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties());
        }
        return producer;
    }

    Properties producerProperties() {
        int timeoutMs = (int) config.sendTimeout().toMillis();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "registry-outbox-relay");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeoutMs / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("Ignoring error while closing producer: %s", e.getMessage());
            }
            producer = null;
        }
    }

    @PreDestroy
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
