package dev.adapterhub.registry.events;

/** The registry's CloudEvents types, exactly as listed in schemas/README.md. */
public enum EventType {
    BASE_MODEL_REGISTERED("base-model.registered", "base-model"),
    BASE_MODEL_SUPERSEDED("base-model.superseded", "base-model"),
    BASE_MODEL_RETIRED("base-model.retired", "base-model"),
    ADAPTER_CREATED("adapter.created", "adapter"),
    ADAPTER_VERSION_PUBLISHED("adapter-version.published", "adapter"),
    ALIAS_MOVED("alias.moved", "adapter"),
    ADAPTER_VERSION_DEPRECATED("adapter-version.deprecated", "adapter");

    private static final String PREFIX = "dev.adapterhub.registry.";

    private final String suffix;
    private final String aggregateType;

    EventType(String suffix, String aggregateType) {
        this.suffix = suffix;
        this.aggregateType = aggregateType;
    }

    /** The CloudEvents {@code type}, e.g. {@code dev.adapterhub.registry.base-model.registered}. */
    public String type() {
        return PREFIX + suffix;
    }

    /** The schema file name under {@code events/registry/} without {@code .json}. */
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
