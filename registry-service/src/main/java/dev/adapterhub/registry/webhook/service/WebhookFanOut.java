package dev.adapterhub.registry.webhook.service;

import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.events.EventFeed;
import dev.adapterhub.registry.job.service.JobService;
import dev.adapterhub.registry.webhook.config.WebhooksConfig;
import dev.adapterhub.registry.webhook.entity.WebhookDelivery;
import dev.adapterhub.registry.webhook.entity.WebhookSubscription;
import dev.adapterhub.registry.webhook.repository.WebhookDeliveryRepository;
import dev.adapterhub.registry.webhook.repository.WebhookSubscriptionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns outbox events into deliveries: each event, once, for every enabled subscription that existed when it
 * happened, asks for its type and may see it (its own team's adapters and jobs; base-model events are everyone's).
 * Runs in one transaction with the marking of the events, so the outbox stays the only record of what happened (no
 * dual write).
 */
@ApplicationScoped
public class WebhookFanOut {

    /** The type of a test fire ({@code POST …/webhooks/{id}/test}); never on Kafka. */
    public static final String TEST_EVENT = "dev.adapterhub.registry.webhook.test";
    private static final Logger LOG = Logger.getLogger(WebhookFanOut.class);

    private final EventFeed feed;
    private final WebhookSubscriptionRepository subscriptions;
    private final WebhookDeliveryRepository deliveries;
    private final AdapterService adapters;
    private final JobService jobs;
    private final WebhooksConfig config;

    public WebhookFanOut(EventFeed feed, WebhookSubscriptionRepository subscriptions,
                         WebhookDeliveryRepository deliveries, AdapterService adapters, JobService jobs,
                         WebhooksConfig config) {
        this.feed = feed;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.adapters = adapters;
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(every = "${adapterhub.webhooks.poll-interval:PT1S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        try {
            while (runOnce() == config.batchSize()) {
                // a backlog: keep going until it is drained
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Webhook fan-out failed; retried at the next run");
        }
    }

    /** Fans out one batch; returns how many events it took. */
    int runOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<EventFeed.FeedEvent> events = feed.take(config.batchSize());
            if (events.isEmpty()) {
                return 0;
            }
            List<WebhookSubscription> enabled = subscriptions.listEnabled();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            for (EventFeed.FeedEvent event : events) {
                Optional<String> team = teamOf(event);
                for (WebhookSubscription subscription : enabled) {
                    if (existedAt(subscription, event.occurredAt()) && wants(subscription, event.type())
                            && (team.isEmpty() || team.get().equals(subscription.team))) {
                        deliveries.persist(newDelivery(subscription.id, event.id(), event.type(), event.envelope(),
                                now));
                    }
                }
            }
            return events.size();
        });
    }

    /** The team an event belongs to; empty for platform-wide events (base models). */
    private Optional<String> teamOf(EventFeed.FeedEvent event) {
        return switch (event.aggregateType()) {
            case "adapter" -> Optional.of(adapters.byId(event.aggregateId()).team());
            case "training-job" -> Optional.of(jobs.teamOf(event.aggregateId()).orElse("\u0000none"));
            case "webhook" -> Optional.of(subscriptions.findByIdOptional(event.aggregateId())
                    .map(s -> s.team).orElse("\u0000none"));
            default -> Optional.empty();
        };
    }

    /**
     * Whether the subscription existed when the event happened. The fan-out can take an event late (it skips rows
     * the Kafka relay holds), and a subscription created meanwhile must not receive history.
     */
    static boolean existedAt(WebhookSubscription subscription, Instant occurredAt) {
        return !occurredAt.isBefore(subscription.createdAt);
    }

    static boolean wants(WebhookSubscription subscription, String type) {
        for (String pattern : subscription.eventTypes.split(",")) {
            if (pattern.equals(type) || pattern.equals("*")
                    || (pattern.endsWith("*") && type.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    static WebhookDelivery newDelivery(UUID subscriptionId, UUID eventId, String type, String payload, Instant now) {
        WebhookDelivery delivery = new WebhookDelivery();
        delivery.id = UUID.randomUUID();
        delivery.messageId = "msg_" + delivery.id.toString().replace("-", "");
        delivery.subscriptionId = subscriptionId;
        delivery.eventId = eventId;
        delivery.eventType = type;
        delivery.payload = payload;
        delivery.state = WebhookDelivery.State.PENDING;
        delivery.nextAttemptAt = now;
        delivery.createdAt = now;
        return delivery;
    }
}
