package dev.adapterhub.engine.serve;

/** What the base weights hold right now, which decides which requests may run. */
public enum SchedulerPhase {
    /** Plain base weights: base and LoRA requests batch together. */
    MIXED,
    /** A SHiRA is fused into the weights: only its requests run. */
    SHIRA,
    /** A LoRA is merged into the weights: its rows run on the base path; others wait at most one step. */
    LORA_MERGED
}
