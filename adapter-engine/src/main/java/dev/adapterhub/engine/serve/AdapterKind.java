package dev.adapterhub.engine.serve;

/** How a loaded adapter is served. */
public enum AdapterKind {
    /** Unmerged, batched per row with other adapters (or merged while it dominates, {@link LoraFusion#AUTO}). */
    LORA,
    /** Fused into the base weights while its requests run (bit-exact restore on switch). */
    SHIRA
}
