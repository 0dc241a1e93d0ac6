package dev.adapterhub.registry.job.dto;

/** What a job does; both kinds share leases, checkpoints, retries and events. */
public enum JobKind {
    /** Fine-tunes an adapter on a dataset. */
    TRAINING,
    /** Moves a version to another base model with Trans-LoRA, without its training data (issue 10). */
    TRANSFER
}
