package dev.adapterhub.registry.events;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /** Advisory lock key held by the one relay that runs at a time (any 64-bit constant of our own). */
    static final long RELAY_LOCK = 7_132_013_001L;

    /**
     * Locks the oldest unpublished rows, in order, for the one relay that may run now: a transaction-scoped
     * advisory lock elects it among replicas (others get nothing this round). The rows are locked without SKIP
     * LOCKED on purpose: skipping a row another transaction holds (the webhook fan-out locks the same rows) would
     * publish a later event of an aggregate before an earlier one; the relay waits for that lock instead.
     */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockPending(int limit) {
        Boolean elected = (Boolean) getEntityManager()
                .createNativeQuery("select pg_try_advisory_xact_lock(:key)")
                .setParameter("key", RELAY_LOCK)
                .getSingleResult();
        if (!Boolean.TRUE.equals(elected)) {
            return List.of();
        }
        return getEntityManager()
                .createNativeQuery("select * from outbox_event where published_at is null "
                        + "order by created_at, id limit :limit for update", OutboxEvent.class)
                .setParameter("limit", limit)
                .getResultList();
    }

    public long countPending() {
        return count("publishedAt is null");
    }

    /**
     * Locks the oldest events the webhook fan-out has not taken yet. SKIP LOCKED: a row the relay holds is taken
     * on a later round (webhook deliveries promise no order; Kafka's per-aggregate order is the relay's).
     */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockForWebhooks(int limit) {
        return getEntityManager()
                .createNativeQuery("select * from outbox_event where webhooks_at is null "
                        + "order by created_at, id limit :limit for update skip locked", OutboxEvent.class)
                .setParameter("limit", limit)
                .getResultList();
    }
}
