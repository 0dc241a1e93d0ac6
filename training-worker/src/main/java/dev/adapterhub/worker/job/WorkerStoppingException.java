package dev.adapterhub.worker.job;

/** The worker process is shutting down; the attempt is handed back (retryable) instead of waiting for lease expiry. */
public class WorkerStoppingException extends RuntimeException {
    public WorkerStoppingException(String message) {
        super(message);
    }
}
