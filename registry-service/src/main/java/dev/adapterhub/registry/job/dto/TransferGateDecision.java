package dev.adapterhub.registry.job.dto;

/** The states of a transferred version at the evaluation gate. */
public enum TransferGateDecision {
    /** It passed: its aliases moved to it automatically. */
    PROMOTED,
    /** It did not pass (or could not be judged); a person promotes or rejects it. */
    NEEDS_REVIEW,
    PROMOTED_BY_REVIEW,
    REJECTED;

    public boolean promoted() {
        return this == PROMOTED || this == PROMOTED_BY_REVIEW;
    }
}
