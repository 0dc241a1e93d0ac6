package dev.adapterhub.registry.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The outbox as a feed for the webhook fan-out: the events it has not taken yet, oldest first, and marking them
 * taken in the same transaction that records their deliveries (so an event is fanned out exactly once, with no
 * second write path next to the outbox).
 */
@ApplicationScoped
public class EventFeed {

    /** One event: its CloudEvents envelope, what it is about and when it happened. */
    public record FeedEvent(UUID id, String type, String aggregateType, UUID aggregateId, String envelope,
                            Instant occurredAt) {
    }

    private final OutboxRepository repository;

    public EventFeed(OutboxRepository repository) {
        this.repository = repository;
    }

    /** Locks and returns up to {@code limit} events not taken yet; runs in the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public List<FeedEvent> take(int limit) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return repository.lockForWebhooks(limit).stream().map(event -> {
            event.webhooksAt = now;
            return new FeedEvent(event.id, event.eventType, event.aggregateType, event.aggregateId, event.payload,
                    event.createdAt);
        }).toList();
    }
}
