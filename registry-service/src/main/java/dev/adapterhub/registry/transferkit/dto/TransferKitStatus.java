package dev.adapterhub.registry.transferkit.dto;

/** How much of a transfer kit a version has, and so which Trans-LoRA rungs can move it. */
public enum TransferKitStatus {
    /** Seed examples and a discriminator: synthetic inputs can be filtered. */
    COMPLETE,
    /** Seed examples only: synthetic inputs are used unfiltered. */
    SEEDS_ONLY,
    /** Nothing: only the copy rung (same shapes) can move the version. */
    NONE
}
