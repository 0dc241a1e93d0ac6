package dev.adapterhub.gateway.inference;

import java.nio.file.Path;

/**
 * What the gateway needs from an inference engine: open a base model checkpoint as a {@link ModelEngine}. The
 * only implementation wraps adapter-engine's {@code ServingEngine}; keeping the gateway on this interface keeps
 * HTTP, registry and cache code free of DJL.
 */
public interface InferenceBackend {

    /** Loads a base model from a local HF checkpoint directory (config.json, tokenizer.json, safetensors). */
    ModelEngine open(String baseModelId, Path checkpointDir) throws Exception;
}
