package dev.adapterhub.gateway.inference;

import dev.adapterhub.gateway.cache.AdapterIncompatibleException;

import java.nio.file.Path;

/** One loaded base model with its attached adapters, batching the requests submitted to it. */
public interface ModelEngine extends AutoCloseable {

    /**
     * Attaches a PEFT adapter directory under {@code key}; {@code expectedBaseModel} is the registry id of the
     * base the version was validated against, compared with the engine's own base model id.
     *
     * @throws AdapterIncompatibleException when it does not fit this base model (nothing is attached then)
     */
    void loadAdapter(String key, Path peftDir, String expectedBaseModel) throws Exception;

    /** Detaches {@code key}; false when requests still use it (it stays attached then). */
    boolean unloadAdapter(String key);

    /**
     * Queues one generation.
     *
     * @throws QueueFullException when the engine's bounded queue is full
     * @throws InvalidGenerationException when the engine refuses the request itself
     * @throws EngineUnavailableException when the engine is closed
     */
    Generation submit(GenerationSpec spec, TokenSink sink);

    /** Requests waiting for a batch slot. */
    int queuedRequests();

    /** Requests being decoded now. */
    int runningRequests();

    /** Weight switches (SHiRA fuse/restore, LoRA merge/restore) since the engine started. */
    long weightSwitches();

    @Override
    void close();
}
