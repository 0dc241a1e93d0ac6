package dev.adapterhub.registry.webhook.service;

import dev.adapterhub.registry.events.EventType;
import dev.adapterhub.registry.events.OutboxWriter;
import dev.adapterhub.registry.events.data.WebhookDisabled;
import dev.adapterhub.registry.webhook.config.WebhooksConfig;
import dev.adapterhub.registry.webhook.entity.WebhookAttempt;
import dev.adapterhub.registry.webhook.entity.WebhookDelivery;
import dev.adapterhub.registry.webhook.entity.WebhookSubscription;
import dev.adapterhub.registry.webhook.repository.WebhookAttemptRepository;
import dev.adapterhub.registry.webhook.repository.WebhookDeliveryRepository;
import dev.adapterhub.registry.webhook.repository.WebhookSubscriptionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Sends due deliveries, at least once: a delivery is leased before its attempt (so a crash mid-attempt only means
 * another attempt later), signed with the subscription's secret(s), never redirected, and every attempt is logged.
 * Failures back off exponentially with jitter, honouring {@code Retry-After}; a delivery still failing after
 * {@code max-age} is given up, and a subscription failing {@code disable-after-failures} times in a row is disabled,
 * announced by a {@code webhook.disabled} event.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final Random RANDOM = new Random();

    private final WebhookDeliveryRepository deliveries;
    private final WebhookSubscriptionRepository subscriptions;
    private final WebhookAttemptRepository attempts;
    private final SecretBox secrets;
    private final TargetGuard guard;
    private final OutboxWriter outbox;
    private final WebhooksConfig config;
    private final HttpClient http;

    public WebhookSender(WebhookDeliveryRepository deliveries, WebhookSubscriptionRepository subscriptions,
                         WebhookAttemptRepository attempts, SecretBox secrets, TargetGuard guard, OutboxWriter outbox,
                         WebhooksConfig config) {
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.attempts = attempts;
        this.secrets = secrets;
        this.guard = guard;
        this.outbox = outbox;
        this.config = config;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.timeout()).build();
    }

    @Scheduled(every = "${adapterhub.webhooks.poll-interval:PT1S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        try {
            List<UUID> due;
            do {
                due = claim();
                due.forEach(this::attempt);
            } while (due.size() == config.batchSize());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Webhook delivery run failed; retried at the next run");
        }
    }

    /** Leases the due deliveries: the lease outlasts an attempt, so no other run sends them meanwhile. */
    List<UUID> claim() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = now();
            Instant lease = now.plus(config.timeout().multipliedBy(3));
            List<UUID> ids = new ArrayList<>();
            for (WebhookDelivery delivery : deliveries.lockDue(now, config.batchSize())) {
                delivery.nextAttemptAt = lease;
                ids.add(delivery.id);
            }
            return ids;
        });
    }

    private record Message(URI url, String messageId, String payload, List<String> secrets) {
    }

    private record Outcome(Integer status, String error, String body, Duration retryAfter) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    void attempt(UUID deliveryId) {
        Message message = QuarkusTransaction.requiringNew().call(() -> {
            WebhookDelivery delivery = deliveries.findById(deliveryId);
            WebhookSubscription subscription = subscriptions.findById(delivery.subscriptionId);
            List<String> keys = new ArrayList<>(List.of(secrets.open(subscription.secret)));
            if (subscription.previousSecret != null && subscription.previousSecretUntil != null
                    && now().isBefore(subscription.previousSecretUntil)) {
                keys.add(secrets.open(subscription.previousSecret));
            }
            return new Message(URI.create(subscription.url), delivery.messageId, delivery.payload, keys);
        });
        Instant started = Instant.now();
        Outcome outcome = send(message);
        long millis = Duration.between(started, Instant.now()).toMillis();
        QuarkusTransaction.requiringNew().run(() -> record(deliveryId, started, millis, outcome));
    }

    private Outcome send(Message message) {
        String refusal = guard.refusal(message.url()).orElse(null);
        if (refusal != null) {
            return new Outcome(null, "not sent: " + refusal, null, null);
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(message.url())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "AdapterHub-Webhooks/1")
                .header("webhook-id", message.messageId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signatures(message.messageId(), timestamp,
                        message.payload(), message.secrets()))
                .POST(HttpRequest.BodyPublishers.ofString(message.payload(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(config.responseBodyLimit() * 4), StandardCharsets.UTF_8);
            }
            if (body.length() > config.responseBodyLimit()) {
                body = body.substring(0, config.responseBodyLimit());
            }
            int status = response.statusCode();
            String error = status >= 300 && status < 400 ? "redirects are not followed" : null;
            return new Outcome(status, error, body,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        } catch (IOException e) {
            return new Outcome(null, e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted", null, null);
        }
    }

    private void record(UUID deliveryId, Instant started, long millis, Outcome outcome) {
        WebhookDelivery delivery = deliveries.findById(deliveryId);
        WebhookSubscription subscription = subscriptions.findById(delivery.subscriptionId);
        Instant now = now();
        delivery.attempts++;
        WebhookAttempt attempt = new WebhookAttempt();
        attempt.id = UUID.randomUUID();
        attempt.deliveryId = deliveryId;
        attempt.attempt = delivery.attempts;
        attempt.startedAt = started.truncatedTo(ChronoUnit.MICROS);
        attempt.durationMs = millis;
        attempt.statusCode = outcome.status();
        attempt.error = outcome.error();
        attempt.responseBody = outcome.body();
        attempts.persist(attempt);
        delivery.lastStatus = outcome.status();
        delivery.lastError = outcome.error();
        if (outcome.delivered()) {
            delivery.state = WebhookDelivery.State.DELIVERED;
            delivery.deliveredAt = now;
            delivery.nextAttemptAt = null;
            subscription.consecutiveFailures = 0;
            return;
        }
        subscription.consecutiveFailures++;
        Duration wait = Backoff.next(delivery.attempts, config.initialBackoff(), config.maxBackoff(),
                outcome.retryAfter(), RANDOM);
        if (now.plus(wait).isAfter(delivery.createdAt.plus(config.maxAge()))) {
            delivery.state = WebhookDelivery.State.FAILED;
            delivery.nextAttemptAt = null;
        } else {
            delivery.nextAttemptAt = now.plus(wait);
        }
        if (subscription.enabled && subscription.consecutiveFailures >= config.disableAfterFailures()) {
            subscription.enabled = false;
            subscription.disabledReason = "disabled after " + subscription.consecutiveFailures
                    + " failed attempts in a row; the last: " + (outcome.status() != null ? "HTTP "
                    + outcome.status() : outcome.error());
            subscription.updatedAt = now;
            outbox.append(EventType.WEBHOOK_DISABLED, subscription.id, new WebhookDisabled(subscription.id,
                    subscription.team, subscription.url, subscription.disabledReason,
                    subscription.consecutiveFailures));
            LOG.warnf("Webhook %s of team %s %s", subscription.id, subscription.team, subscription.disabledReason);
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
