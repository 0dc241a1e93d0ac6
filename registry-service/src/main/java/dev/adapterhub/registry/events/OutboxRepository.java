package dev.adapterhub.registry.events;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /**
     * Locks the oldest unpublished rows. SKIP LOCKED lets several replicas relay concurrently without sending
     * the same row twice and without waiting on each other.
     */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockPending(int limit) {
        return getEntityManager()
                .createNativeQuery("select * from outbox_event where published_at is null "
                        + "order by created_at, id limit :limit for update skip locked", OutboxEvent.class)
                .setParameter("limit", limit)
                .getResultList();
    }

    public long countPending() {
        return count("publishedAt is null");
    }

    /** Locks the oldest events the webhook fan-out has not taken yet (SKIP LOCKED, like the relay). */
    @SuppressWarnings("unchecked")
    public List<OutboxEvent> lockForWebhooks(int limit) {
        return getEntityManager()
                .createNativeQuery("select * from outbox_event where webhooks_at is null "
                        + "order by created_at, id limit :limit for update skip locked", OutboxEvent.class)
                .setParameter("limit", limit)
                .getResultList();
    }
}
