package dev.adapterhub.engine.serve;

/** Whether the scheduler may merge a LoRA into the base weights while it alone is being served. */
public enum LoraFusion {
    /** Never merge: LoRA rows always take the batched per-row path. */
    OFF,
    /** Merge a LoRA while every running and queued LoRA/base request uses it (see DESIGN.md). */
    AUTO
}
