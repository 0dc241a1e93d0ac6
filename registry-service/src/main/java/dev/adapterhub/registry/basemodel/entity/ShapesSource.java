package dev.adapterhub.registry.basemodel.entity;

/** Where the stored linear module shapes came from. */
public enum ShapesSource {
    /** Read from the safetensors headers of the checkpoint (the real shapes). */
    CHECKPOINT,
    /** Derived from config.json because no checkpoint weights were available. */
    CONFIG
}
