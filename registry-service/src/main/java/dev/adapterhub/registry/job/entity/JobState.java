package dev.adapterhub.registry.job.entity;

/** Lifecycle of a training job (ADR 0005). VALIDATING and RUNNING hold a worker lease. */
public enum JobState {
    QUEUED, VALIDATING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public boolean leased() {
        return this == VALIDATING || this == RUNNING;
    }
}
