package dev.adapterhub.registry.webhook.repository;

import dev.adapterhub.registry.webhook.entity.WebhookAttempt;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WebhookAttemptRepository implements PanacheRepositoryBase<WebhookAttempt, UUID> {

    public List<WebhookAttempt> listByDelivery(UUID deliveryId) {
        return list("deliveryId = ?1 order by attempt", deliveryId);
    }
}
