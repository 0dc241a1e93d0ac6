package dev.adapterhub.transfer.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.registry.client.RegistryUnavailableException;
import dev.adapterhub.transfer.config.TransferConfig;
import dev.adapterhub.transfer.plan.PlanOutcome;
import dev.adapterhub.transfer.plan.TransferPlanner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Plans the transfers a supersede asks for (ADR 11), and moves a transferred version on when it is promoted onto a
 * base that was superseded meanwhile. At least once: the offset is committed only after the registry has accepted
 * every job of the event, and the jobs' idempotency keys (derived from the event id) make a redelivery plan nothing
 * twice. Other events are skipped.
 */
@ApplicationScoped
public class SupersededConsumer {

    private static final Logger LOG = Logger.getLogger(SupersededConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final TransferConfig config;
    private final TransferPlanner planner;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, String> consumer;

    public SupersededConsumer(TransferConfig config, TransferPlanner planner) {
        this.config = config;
        this.planner = planner;
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "superseded-consumer");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            t.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Whether the consumer loop is alive (readiness). */
    public boolean isRunning() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    private void loop() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
            consumer = c;
            c.subscribe(List.of(config.registryEventsTopic(), config.trainingEventsTopic()));
            LOG.infof("consuming %s and %s as group %s", config.registryEventsTopic(), config.trainingEventsTopic(),
                    config.groupId());
            while (running) {
                for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                    if (!handle(c, record)) {
                        break;
                    }
                }
            }
        } catch (WakeupException stopping) {
            // shutdown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("superseded consumer stopped", e);
        } finally {
            consumer = null;
            running = false;
        }
    }

    /** @return false when the record is to be read again (the registry was unreachable) */
    private boolean handle(KafkaConsumer<String, String> c, ConsumerRecord<String, String> record)
            throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Optional<Superseded> event;
        Optional<TransferGated> promotion;
        try {
            JsonNode cloudEvent = Superseded.read(record.value());
            event = Superseded.parse(cloudEvent);
            promotion = TransferGated.promotion(cloudEvent);
        } catch (IOException e) {
            LOG.warnf("skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            commit(c, partition, record.offset());
            return true;
        }
        try {
            if (event.isPresent()) {
                Superseded s = event.get();
                report(s.reference() + " superseded by " + s.supersededByReference(),
                        planner.planSupersede(s.eventId(), s.baseModelId(), s.supersededById()));
            } else if (promotion.isPresent()) {
                TransferGated p = promotion.get();
                report(p.adapterName() + "@" + p.version() + " promoted",
                        planner.planOnward(p.eventId(), p.adapterName(), p.version()));
            }
        } catch (RegistryUnavailableException e) {
            LOG.warnf("registry unavailable, reading %s-%d@%d again in %s: %s", record.topic(), record.partition(),
                    record.offset(), config.retryBackoff(), e.getMessage());
            c.seek(partition, record.offset());
            Thread.sleep(config.retryBackoff().toMillis());
            return false;
        }
        commit(c, partition, record.offset());
        return true;
    }

    private static void report(String what, List<PlanOutcome> outcomes) {
        if (!outcomes.isEmpty()) {
            LOG.infof("%s: %d transfers planned, %d refused", what,
                    outcomes.stream().filter(o -> o.transfer() != null).count(),
                    outcomes.stream().filter(o -> o.transfer() == null).count());
        }
    }

    private static void commit(KafkaConsumer<String, String> c, TopicPartition partition, long offset) {
        c.commitSync(Map.of(partition, new OffsetAndMetadata(offset + 1)));
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group starts at the beginning, so a supersede published before the first start is not missed.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }
}
