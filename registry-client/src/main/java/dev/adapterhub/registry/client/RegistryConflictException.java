package dev.adapterhub.registry.client;

/**
 * 409: the request conflicts with the current state, e.g. another worker owns the job, the attempt is stale, the
 * lease is gone or the job was cancelled.
 */
public class RegistryConflictException extends RegistryRejectedException {

    public RegistryConflictException(String message, Problem problem) {
        super(message, 409, problem);
    }

    /** {@code lease-lost}: this worker no longer owns the attempt (expired, re-queued or cancelled). */
    public boolean isLeaseLost() {
        return problem() != null && "lease-lost".equals(problem().slug());
    }
}
