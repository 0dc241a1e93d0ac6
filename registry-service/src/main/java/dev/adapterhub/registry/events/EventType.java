package dev.adapterhub.registry.events;

/**
 * The CloudEvents types the registry emits, exactly as listed in schemas/README.md: registry lifecycle events
 * (group {@code registry}) and training-job events (group {@code training}, see ADR 0005).
 */
public enum EventType {
    BASE_MODEL_REGISTERED("registry", "base-model.registered", "base-model"),
    BASE_MODEL_SUPERSEDED("registry", "base-model.superseded", "base-model"),
    BASE_MODEL_RETIRED("registry", "base-model.retired", "base-model"),
    ADAPTER_CREATED("registry", "adapter.created", "adapter"),
    ADAPTER_VERSION_PUBLISHED("registry", "adapter-version.published", "adapter"),
    ALIAS_MOVED("registry", "alias.moved", "adapter"),
    ADAPTER_VERSION_DEPRECATED("registry", "adapter-version.deprecated", "adapter"),
    WEBHOOK_DISABLED("registry", "webhook.disabled", "webhook"),
    TRAINING_JOB_DISPATCHED("training", "job.dispatched", "training-job"),
    TRAINING_JOB_STATE_CHANGED("training", "job.state-changed", "training-job"),
    TRAINING_JOB_PROGRESS("training", "job.progress", "training-job"),
    TRAINING_JOB_TRANSFER_GATED("training", "job.transfer-gated", "training-job");

    private static final String PREFIX = "dev.adapterhub.";

    private final String group;
    private final String suffix;
    private final String aggregateType;

    EventType(String group, String suffix, String aggregateType) {
        this.group = group;
        this.suffix = suffix;
        this.aggregateType = aggregateType;
    }

    /** The CloudEvents {@code type}, e.g. {@code dev.adapterhub.registry.base-model.registered}. */
    public String type() {
        return PREFIX + group + "." + suffix;
    }

    /** The schema file name under {@code events/<group>/} without {@code .json}. */
    public String suffix() {
        return suffix;
    }

    /** Which aggregate the event's subject identifies: a base model or an adapter (versions and aliases included). */
    public String aggregateType() {
        return aggregateType;
    }

    public String dataSchema() {
        return "urn:adapterhub:schema:" + type();
    }
}
