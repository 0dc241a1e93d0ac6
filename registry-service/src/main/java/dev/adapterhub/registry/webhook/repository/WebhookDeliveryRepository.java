package dev.adapterhub.registry.webhook.repository;

import dev.adapterhub.registry.webhook.entity.WebhookDelivery;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WebhookDeliveryRepository implements PanacheRepositoryBase<WebhookDelivery, UUID> {

    /** Due deliveries of enabled subscriptions, locked (SKIP LOCKED: several replicas never send one twice). */
    @SuppressWarnings("unchecked")
    public List<WebhookDelivery> lockDue(Instant now, int limit) {
        return getEntityManager()
                .createNativeQuery("select d.* from webhook_delivery d join webhook_subscription s on s.id = "
                        + "d.subscription_id where d.state = 'PENDING' and d.next_attempt_at <= :now and s.enabled "
                        + "order by d.next_attempt_at limit :limit for update of d skip locked", WebhookDelivery.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** The log of one subscription, newest first; null criteria match everything. */
    public PanacheQuery<WebhookDelivery> search(UUID subscriptionId, WebhookDelivery.State state, String eventType,
                                                Instant since, Instant until) {
        List<String> clauses = new ArrayList<>(List.of("subscriptionId = :subscription"));
        Parameters parameters = Parameters.with("subscription", subscriptionId);
        if (state != null) {
            clauses.add("state = :state");
            parameters.and("state", state);
        }
        if (eventType != null) {
            clauses.add("eventType = :eventType");
            parameters.and("eventType", eventType);
        }
        if (since != null) {
            clauses.add("createdAt >= :since");
            parameters.and("since", since);
        }
        if (until != null) {
            clauses.add("createdAt < :until");
            parameters.and("until", until);
        }
        return find(String.join(" and ", clauses), Sort.descending("createdAt").and("id"), parameters);
    }
}
