package dev.adapterhub.gateway.inference;

/** The engine's bounded queue is full; the request gets 503 with Retry-After. */
public class QueueFullException extends RuntimeException {

    public QueueFullException(String message) {
        super(message);
    }
}
