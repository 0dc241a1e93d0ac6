package dev.adapterhub.gateway.inference;

/**
 * Native tensors one base model's engine holds (weights, loaded adapters, decode buffers), counted by DJL.
 * Steady while the cache is full: growth under adapter churn is a leak.
 */
public record EngineMemory(long tensors, long tensorBytes) {

    public static final EngineMemory NONE = new EngineMemory(0, 0);
}
