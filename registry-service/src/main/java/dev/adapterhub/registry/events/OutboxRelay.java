package dev.adapterhub.registry.events;

import dev.adapterhub.registry.config.RegistryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Moves outbox rows to Kafka. Each run locks a batch of pending rows (FOR UPDATE SKIP LOCKED), sends them in
 * creation order, marks each published only after the broker acknowledged it, and stops at the first failure so
 * later events of the same aggregate never overtake an earlier one. Delivery is at least once: a crash between
 * the acknowledgement and the commit resends the row, and consumers de-duplicate on the CloudEvents id.
 * See DESIGN.md next to this class.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository repository;
    private final EventSender sender;
    private final RegistryConfig config;
    private final Counter published;
    private final Counter failures;

    public OutboxRelay(OutboxRepository repository, EventSender sender, RegistryConfig config,
                       MeterRegistry registry) {
        this.repository = repository;
        this.sender = sender;
        this.config = config;
        this.published = Counter.builder("adapterhub.outbox.published")
                .description("Outbox events acknowledged by Kafka").register(registry);
        this.failures = Counter.builder("adapterhub.outbox.send.failures")
                .description("Outbox sends that Kafka did not acknowledge (retried later)").register(registry);
        registry.gauge("adapterhub.outbox.pending", this, OutboxRelay::pendingForGauge);
    }

    @Scheduled(every = "${adapterhub.events.relay-interval:PT1S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        try {
            relayPending();
        } catch (RuntimeException e) {
            LOG.warnf("Outbox relay run failed, retrying on the next run: %s", e.getMessage());
        }
    }

    /** Relays until the outbox is empty or a send fails; returns how many events were published. */
    public int relayPending() {
        int total = 0;
        while (true) {
            BatchResult result = QuarkusTransaction.requiringNew().call(this::relayBatch);
            total += result.published();
            if (result.failed() || result.published() < config.events().relayBatchSize()) {
                return total;
            }
        }
    }

    private BatchResult relayBatch() {
        List<OutboxEvent> batch = repository.lockPending(config.events().relayBatchSize());
        int count = 0;
        for (OutboxEvent event : batch) {
            try {
                sender.send(event.topic, event.aggregateId.toString(), event.payload);
            } catch (EventSendException e) {
                event.attempts++;
                event.lastError = e.getMessage();
                failures.increment();
                LOG.warnf("Event %s (%s) not acknowledged, attempt %d: %s",
                        event.id, event.eventType, event.attempts, e.getMessage());
                return new BatchResult(count, true);
            }
            event.publishedAt = Instant.now();
            published.increment();
            count++;
        }
        return new BatchResult(count, false);
    }

    private double pendingForGauge() {
        try {
            return QuarkusTransaction.requiringNew().call(repository::countPending);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private record BatchResult(int published, boolean failed) {
    }
}
