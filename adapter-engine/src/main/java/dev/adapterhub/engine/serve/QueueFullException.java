package dev.adapterhub.engine.serve;

import java.time.Duration;

/** The request queue is at {@link ServingSettings#maxQueuedRequests()}; try again after {@link #retryAfter()}. */
public final class QueueFullException extends ServingException {

    private final Duration retryAfter;

    public QueueFullException(int capacity, Duration retryAfter) {
        super("the request queue is full (" + capacity + " requests waiting)");
        this.retryAfter = retryAfter;
    }

    /** A hint for the client (HTTP {@code Retry-After}). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
