package dev.adapterhub.worker.dispatch;

import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RegistryRejectedException;
import dev.adapterhub.registry.client.RegistryUnavailableException;
import dev.adapterhub.registry.client.model.TrainingJobClaim;
import dev.adapterhub.worker.config.WorkerConfig;
import dev.adapterhub.worker.job.JobRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The worker's only Kafka consumer (ADR 0005). One record at a time: parse, claim, <b>commit the offset as soon as
 * the registry has answered the claim</b>, then pause every assigned partition and keep polling while the job trains
 * on its own thread, so the consumer stays in the group however long the job runs. A rebalance mid-job cannot lose
 * or duplicate the job: the offset is already committed and the registry's lease, not Kafka, owns the job.
 */
@ApplicationScoped
public class DispatchConsumer {

    private static final Logger LOG = Logger.getLogger(DispatchConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    private final WorkerConfig config;
    private final RegistryClient registry;
    private final JobRunner runner;
    private final String workerId;
    private final ExecutorService trainer = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer"));
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Future<?> currentJob;

    public DispatchConsumer(WorkerConfig config, RegistryClient registry, JobRunner runner, WorkerIdentity identity) {
        this.config = config;
        this.registry = registry;
        this.runner = runner;
        this.workerId = identity.id();
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::loop, "dispatch-consumer");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        // A running job hands over at its next step (retryable failure: resumes elsewhere from its checkpoint).
        runner.requestStop();
        trainer.shutdown();
        trainer.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
        Thread t = thread;
        if (t != null) {
            t.join(SHUTDOWN_GRACE.toMillis());
        }
    }

    /** Whether the consumer loop is alive (readiness). */
    public boolean isRunning() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /** Whether a job is training right now. */
    public boolean isBusy() {
        Future<?> job = currentJob;
        return job != null && !job.isDone();
    }

    private void loop() {
        try (DeadLetters deadLetters = new DeadLetters(config.bootstrapServers(), config.deadLetterTopic(), workerId);
             KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
            consumer = c;
            c.subscribe(List.of(config.dispatchTopic()), new PauseWhileBusy(c));
            LOG.infof("worker %s consuming %s as group %s", workerId, config.dispatchTopic(), config.groupId());
            while (running) {
                if (isBusy()) {
                    // Paused: returns no records but keeps this member in the group.
                    rewind(c, c.poll(POLL));
                    continue;
                }
                if (currentJob != null) {
                    currentJob = null;
                    c.resume(c.assignment());
                }
                ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (!handle(c, deadLetters, record)) {
                        break;
                    }
                }
            }
        } catch (WakeupException stopping) {
            // shutdown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("dispatch consumer stopped", e);
        } finally {
            consumer = null;
            running = false;
        }
    }

    /** @return false when the rest of the poll's records must not be processed now (a job started, or a retry) */
    private boolean handle(KafkaConsumer<byte[], byte[]> c, DeadLetters deadLetters,
                           ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Dispatch dispatch;
        try {
            dispatch = DispatchParser.parse(text(record.key()), text(record.value()));
        } catch (MalformedDispatchException e) {
            LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            deadLetters.send(record, e.getMessage());
            commit(c, partition, record.offset());
            return true;
        }
        TrainingJobClaim claim;
        try {
            claim = registry.claim(dispatch.jobId(), workerId, dispatch.attempt());
        } catch (RegistryRejectedException e) {
            // Stale or duplicate dispatch (another worker has it, or the job ended): nothing to do.
            LOG.infof("job %s attempt %d not claimed: %s", dispatch.jobId(), dispatch.attempt(), e.getMessage());
            commit(c, partition, record.offset());
            return true;
        } catch (RegistryUnavailableException e) {
            LOG.warnf("registry unavailable, retrying job %s in %s: %s", dispatch.jobId(), config.retryBackoff(),
                    e.getMessage());
            c.seek(partition, record.offset());
            Thread.sleep(config.retryBackoff().toMillis());
            return false;
        }
        commit(c, partition, record.offset());
        c.pause(c.assignment());
        LOG.infof("job %s attempt %d claimed (%s on %s, %d steps%s)", dispatch.jobId(), dispatch.attempt(),
                claim.job().method(), claim.job().baseModel().name(), claim.job().totalSteps(),
                claim.resumeFromStep() == null ? "" : ", resuming from step " + claim.resumeFromStep());
        currentJob = trainer.submit(() -> runner.run(claim));
        return false;
    }

    /** Records that arrive while busy (a partition assigned mid-job) are read again after the job. */
    private static void rewind(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            c.seek(partition, records.records(partition).get(0).offset());
        }
        if (!records.isEmpty()) {
            c.pause(c.assignment());
        }
    }

    private static void commit(KafkaConsumer<byte[], byte[]> c, TopicPartition partition, long offset) {
        c.commitSync(Map.of(partition, new OffsetAndMetadata(offset + 1)));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long session = config.sessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(session));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(Math.max(500, session / 3)));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** Partitions assigned while a job runs start paused, so this worker never takes a second job. */
    private final class PauseWhileBusy implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        PauseWhileBusy(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (isBusy()) {
                c.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Offsets are committed record by record; nothing is pending.
        }
    }
}
