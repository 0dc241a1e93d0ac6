package dev.adapterhub.registry.events;

/** Kafka did not acknowledge an event; the outbox row stays pending and is retried on the next relay run. */
public class EventSendException extends RuntimeException {
    public EventSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
