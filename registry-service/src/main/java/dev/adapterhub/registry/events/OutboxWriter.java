package dev.adapterhub.registry.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Appends an event to the outbox. Must run inside the transaction of the change it describes, so the event
 * exists exactly when the change does (no dual write to Kafka).
 */
@ApplicationScoped
public class OutboxWriter {

    public static final String SOURCE = "/adapterhub/registry-service";

    private final OutboxRepository repository;
    private final ObjectMapper objectMapper;

    public OutboxWriter(OutboxRepository repository, ObjectMapper objectMapper) {
        this.repository = repository;
        this.objectMapper = objectMapper;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxEvent append(EventType type, UUID subject, Object data) {
        return append(null, type, subject, data);
    }

    /** Appends an event bound for {@code topic} (null: the registry lifecycle topic). */
    @Transactional(Transactional.TxType.MANDATORY)
    public OutboxEvent append(String topic, EventType type, UUID subject, Object data) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.randomUUID();

        ObjectNode envelope = objectMapper.createObjectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", id.toString());
        envelope.put("source", SOURCE);
        envelope.put("type", type.type());
        envelope.put("subject", subject.toString());
        envelope.put("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now.atOffset(ZoneOffset.UTC)));
        envelope.put("datacontenttype", "application/json");
        envelope.put("dataschema", type.dataSchema());
        envelope.set("data", objectMapper.valueToTree(data));

        OutboxEvent event = new OutboxEvent();
        event.id = id;
        event.aggregateType = type.aggregateType();
        event.aggregateId = subject;
        event.eventType = type.type();
        event.createdAt = now;
        event.topic = topic;
        try {
            event.payload = objectMapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event data is not serialisable", e);
        }
        repository.persist(event);
        return event;
    }
}
