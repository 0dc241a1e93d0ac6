package dev.adapterhub.registry.error;

/**
 * A worker called with a lease it no longer holds (expired and re-queued, cancelled, or claimed by another
 * worker). The worker must stop the job without publishing anything (ADR 0005).
 */
public class LeaseLostException extends ConflictException {
    public LeaseLostException(String message) {
        super(message);
    }
}
