package dev.adapterhub.registry.validation;

/**
 * Where the stored linear module shapes came from. Checkpoint inspection decides it, so it lives here with the
 * inspector; the base model feature stores and shows it.
 */
public enum ShapesSource {
    /** Read from the safetensors headers of the checkpoint (the real shapes). */
    CHECKPOINT,
    /** Derived from config.json because no checkpoint weights were available. */
    CONFIG
}
