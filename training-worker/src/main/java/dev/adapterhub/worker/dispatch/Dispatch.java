package dev.adapterhub.worker.dispatch;

import java.util.UUID;

/** What a worker needs from a dispatch record to claim the job: the rest is read from the registry at claim time. */
public record Dispatch(String eventId, UUID jobId, int attempt) {
}
