package dev.adapterhub.engine.serve;

/**
 * The native tensors an engine's model holds right now: its weights, the LoRA pool, the SHiRA adapters and the
 * decode buffers. Constant while the same adapters stay loaded, so a count that grows under adapter churn is a
 * leak.
 *
 * @param arrays tensors attached to the model's manager and its sub-managers
 * @param bytes  their element bytes (not the allocator's overhead)
 */
public record TensorMemory(long arrays, long bytes) {
}
