package dev.adapterhub.registry.client.model;

/** The base model an adapter, version or training job belongs to. */
public record BaseModelRef(String id, String name, String revision) {

    /** {@code name@revision}. */
    public String ref() {
        return name + "@" + revision;
    }
}
