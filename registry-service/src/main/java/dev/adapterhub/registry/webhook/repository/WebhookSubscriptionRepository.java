package dev.adapterhub.registry.webhook.repository;

import dev.adapterhub.registry.webhook.entity.WebhookSubscription;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WebhookSubscriptionRepository implements PanacheRepositoryBase<WebhookSubscription, UUID> {

    public List<WebhookSubscription> listByTeam(String team) {
        return list("team = ?1 order by createdAt, id", team);
    }

    public List<WebhookSubscription> listEnabled() {
        return list("enabled = true");
    }
}
