package dev.adapterhub.engine.serve;

import java.util.concurrent.CompletableFuture;

/** A submitted request: its result and a way to cancel it. */
public final class RequestHandle {

    private final Job job;

    RequestHandle(Job job) {
        this.job = job;
    }

    /** Engine-unique id. */
    public long id() {
        return job.id;
    }

    /**
     * Asks the scheduler to stop this request (e.g. the client disconnected). Idempotent. The row leaves the batch
     * at the next step boundary and the result completes with {@link ServeFinishReason#CANCELLED} and what was
     * generated so far; a request that already finished is unaffected.
     */
    public void cancel() {
        job.cancelled = true;
        job.engine.wake();
    }

    /** Completes normally for every finish reason; exceptionally only when the engine failed. */
    public CompletableFuture<ServeResult> result() {
        return job.future;
    }
}
