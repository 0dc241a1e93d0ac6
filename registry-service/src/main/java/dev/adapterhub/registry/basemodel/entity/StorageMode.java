package dev.adapterhub.registry.basemodel.entity;

/** Whether the registry holds the checkpoint's bytes or points at objects someone else manages. */
public enum StorageMode {
    /** Uploaded through the API; stored content-addressed in the registry's bucket. */
    UPLOADED,
    /** Registered by an object-storage URI; the registry reads but never writes or deletes those objects. */
    REFERENCED
}
