package dev.adapterhub.registry.webhook.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.team.service.TeamService;
import dev.adapterhub.registry.webhook.config.WebhooksConfig;
import dev.adapterhub.registry.webhook.dto.AttemptDto;
import dev.adapterhub.registry.webhook.dto.CreateWebhookRequest;
import dev.adapterhub.registry.webhook.dto.DeliveryDto;
import dev.adapterhub.registry.webhook.dto.ReplayDto;
import dev.adapterhub.registry.webhook.dto.ReplayRequest;
import dev.adapterhub.registry.webhook.dto.UpdateWebhookRequest;
import dev.adapterhub.registry.webhook.dto.WebhookDto;
import dev.adapterhub.registry.webhook.dto.WebhookSecretDto;
import dev.adapterhub.registry.webhook.entity.WebhookDelivery;
import dev.adapterhub.registry.webhook.entity.WebhookSubscription;
import dev.adapterhub.registry.webhook.repository.WebhookAttemptRepository;
import dev.adapterhub.registry.webhook.repository.WebhookDeliveryRepository;
import dev.adapterhub.registry.webhook.repository.WebhookSubscriptionRepository;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** A team's webhook subscriptions, their delivery log and replays; every operation is its admins'. */
@ApplicationScoped
public class WebhookService {

    static final int MAX_EVENT_TYPES = 50;
    static final int MAX_URL = 2048;
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,126}\\*?|\\*");

    private final WebhookSubscriptionRepository subscriptions;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookAttemptRepository attempts;
    private final TeamService teams;
    private final Access access;
    private final SecretBox secrets;
    private final TargetGuard guard;
    private final WebhooksConfig config;
    private final ObjectMapper json;

    public WebhookService(WebhookSubscriptionRepository subscriptions, WebhookDeliveryRepository deliveries,
                          WebhookAttemptRepository attempts, TeamService teams, Access access, SecretBox secrets,
                          TargetGuard guard, WebhooksConfig config, ObjectMapper json) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.teams = teams;
        this.access = access;
        this.secrets = secrets;
        this.guard = guard;
        this.config = config;
        this.json = json;
    }

    @Transactional
    public WebhookSecretDto create(String team, CreateWebhookRequest request) {
        requireAdminOf(team);
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        String url = checkedUrl(request.url());
        String types = eventTypes(request.eventTypes());
        String secret = WebhookSigner.newSecret();
        Instant now = now();
        WebhookSubscription subscription = new WebhookSubscription();
        subscription.id = UUID.randomUUID();
        subscription.team = team;
        subscription.url = url;
        subscription.eventTypes = types;
        subscription.description = description(request.description());
        subscription.secret = secrets.seal(secret);
        subscription.enabled = request.enabled() == null || request.enabled();
        subscription.createdBy = access.actor();
        subscription.createdAt = now;
        subscription.updatedAt = now;
        subscriptions.persist(subscription);
        return new WebhookSecretDto(secret, toDto(subscription));
    }

    @Transactional
    public List<WebhookDto> list(String team) {
        requireAdminOf(team);
        return subscriptions.listByTeam(team).stream().map(WebhookService::toDto).toList();
    }

    @Transactional
    public WebhookDto get(String team, UUID id) {
        return toDto(require(team, id));
    }

    @Transactional
    public WebhookDto update(String team, UUID id, UpdateWebhookRequest request) {
        WebhookSubscription subscription = require(team, id);
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        if (request.url() != null) {
            subscription.url = checkedUrl(request.url());
        }
        if (request.eventTypes() != null) {
            subscription.eventTypes = eventTypes(request.eventTypes());
        }
        if (request.description() != null) {
            subscription.description = description(request.description());
        }
        if (request.enabled() != null && request.enabled() != subscription.enabled) {
            subscription.enabled = request.enabled();
            subscription.disabledReason = request.enabled() ? null : "disabled by " + access.actor();
            subscription.consecutiveFailures = 0;
        }
        subscription.updatedAt = now();
        return toDto(subscription);
    }

    @Transactional
    public void delete(String team, UUID id) {
        subscriptions.delete(require(team, id));
    }

    /** A new secret; the old one keeps signing beside it for {@code secret-overlap}. */
    @Transactional
    public WebhookSecretDto rotateSecret(String team, UUID id) {
        WebhookSubscription subscription = require(team, id);
        String secret = WebhookSigner.newSecret();
        Instant now = now();
        subscription.previousSecret = subscription.secret;
        subscription.previousSecretUntil = now.plus(config.secretOverlap());
        subscription.secret = secrets.seal(secret);
        subscription.updatedAt = now;
        return new WebhookSecretDto(secret, toDto(subscription));
    }

    /** Queues a test event for this subscription alone, delivered and logged like any other. */
    @Transactional
    public DeliveryDto test(String team, UUID id) {
        WebhookSubscription subscription = require(team, id);
        Instant now = now();
        UUID eventId = UUID.randomUUID();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("specversion", "1.0");
        envelope.put("id", eventId.toString());
        envelope.put("source", "/adapterhub/registry-service");
        envelope.put("type", WebhookFanOut.TEST_EVENT);
        envelope.put("time", now.toString());
        envelope.put("datacontenttype", "application/json");
        envelope.put("data", Map.of("webhookId", subscription.id.toString(), "team", team,
                "message", "A test event, sent on request by " + access.actor()));
        String payload;
        try {
            payload = json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        WebhookDelivery delivery = WebhookFanOut.newDelivery(subscription.id, null, WebhookFanOut.TEST_EVENT,
                payload, now);
        deliveries.persist(delivery);
        return toDto(delivery, null);
    }

    @Transactional
    public PageDto<DeliveryDto> deliveries(String team, UUID id, String state, String eventType, Instant since,
                                           Instant until, PageRequest page) {
        require(team, id);
        WebhookDelivery.State parsed = null;
        if (state != null && !state.isBlank()) {
            try {
                parsed = WebhookDelivery.State.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("state must be PENDING, DELIVERED or FAILED");
            }
        }
        PanacheQuery<WebhookDelivery> query = deliveries.search(id, parsed,
                eventType == null || eventType.isBlank() ? null : eventType, since, until);
        List<DeliveryDto> items = query.page(page.page(), page.size()).list().stream()
                .map(d -> toDto(d, null)).toList();
        return new PageDto<>(items, page.page(), page.size(), query.count());
    }

    @Transactional
    public DeliveryDto delivery(String team, UUID id, UUID deliveryId) {
        require(team, id);
        WebhookDelivery delivery = requireDelivery(id, deliveryId);
        return toDto(delivery, attempts.listByDelivery(deliveryId).stream().map(a -> new AttemptDto(a.attempt,
                a.startedAt, a.durationMs, a.statusCode, a.error, a.responseBody)).toList());
    }

    /** Sends one delivery again (same webhook-id), whatever its state. */
    @Transactional
    public DeliveryDto replay(String team, UUID id, UUID deliveryId) {
        require(team, id);
        WebhookDelivery delivery = requireDelivery(id, deliveryId);
        requeue(delivery);
        return toDto(delivery, null);
    }

    /** Sends again every delivery whose event came in [since, until). */
    @Transactional
    public ReplayDto replay(String team, UUID id, ReplayRequest request) {
        require(team, id);
        if (request == null || request.since() == null) {
            throw new InvalidRequestException("since is required");
        }
        Instant until = request.until() == null ? now() : request.until();
        if (!request.since().isBefore(until)) {
            throw new InvalidRequestException("since must be before until");
        }
        List<WebhookDelivery> range = deliveries.search(id, null, null, request.since(), until).list();
        range.forEach(this::requeue);
        return new ReplayDto(range.size());
    }

    private void requeue(WebhookDelivery delivery) {
        delivery.state = WebhookDelivery.State.PENDING;
        delivery.nextAttemptAt = now();
        delivery.deliveredAt = null;
    }

    private WebhookSubscription require(String team, UUID id) {
        requireAdminOf(team);
        return subscriptions.findByIdOptional(id).filter(s -> s.team.equals(team)).orElseThrow(() ->
                new ResourceNotFoundException("Team " + Messages.abbreviate(team) + " has no webhook " + id));
    }

    private WebhookDelivery requireDelivery(UUID subscriptionId, UUID deliveryId) {
        return deliveries.findByIdOptional(deliveryId).filter(d -> d.subscriptionId.equals(subscriptionId))
                .orElseThrow(() -> new ResourceNotFoundException("Webhook " + subscriptionId + " has no delivery "
                        + deliveryId));
    }

    private void requireAdminOf(String team) {
        teams.get(team);
        access.team(team, Role.ADMIN, "manage its webhooks");
    }

    private String checkedUrl(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("url is required");
        }
        if (value.length() > MAX_URL) {
            throw new InvalidRequestException("url must be at most " + MAX_URL + " characters");
        }
        URI url;
        try {
            url = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("url is not a valid URL");
        }
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw new InvalidRequestException("url must be an http or https URL with a host");
        }
        if (url.getUserInfo() != null) {
            throw new InvalidRequestException("url must not carry credentials; the signature authenticates");
        }
        guard.refusal(url).ifPresent(why -> {
            throw new InvalidRequestException("url is refused: " + why);
        });
        return url.toString();
    }

    private static String eventTypes(List<String> types) {
        if (types == null || types.isEmpty()) {
            throw new InvalidRequestException("eventTypes is required (e.g. [\"dev.adapterhub.registry.*\"])");
        }
        if (types.size() > MAX_EVENT_TYPES) {
            throw new InvalidRequestException("at most " + MAX_EVENT_TYPES + " eventTypes are allowed");
        }
        for (String type : types) {
            if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                throw new InvalidRequestException("eventTypes: '" + Messages.abbreviate(String.valueOf(type))
                        + "' is not an event type or a prefix ending in *");
            }
        }
        return String.join(",", types.stream().distinct().toList());
    }

    private static String description(String description) {
        if (description != null && description.length() > 2000) {
            throw new InvalidRequestException("description must be at most 2000 characters");
        }
        return description == null || description.isBlank() ? null : description;
    }

    static WebhookDto toDto(WebhookSubscription s) {
        return new WebhookDto(s.id, s.team, s.url, Arrays.asList(s.eventTypes.split(",")), s.description, s.enabled,
                s.disabledReason, s.consecutiveFailures, s.previousSecretUntil, s.createdBy, s.createdAt,
                s.updatedAt);
    }

    private static DeliveryDto toDto(WebhookDelivery d, List<AttemptDto> log) {
        return new DeliveryDto(d.id, d.messageId, d.eventType, d.eventId, d.state.name(), d.attempts,
                d.nextAttemptAt, d.lastStatus, d.lastError, d.createdAt, d.deliveredAt, log);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
