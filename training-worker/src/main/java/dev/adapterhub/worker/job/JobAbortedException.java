package dev.adapterhub.worker.job;

/**
 * Training stopped because this worker no longer owns the job (lease lost, job cancelled): nothing is reported,
 * the registry already knows.
 */
public class JobAbortedException extends RuntimeException {
    public JobAbortedException(String reason) {
        super(reason);
    }
}
