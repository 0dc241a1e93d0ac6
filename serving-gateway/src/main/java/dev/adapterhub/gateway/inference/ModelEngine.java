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
     * @throws dev.adapterhub.engine.serve.QueueFullException when the engine's bounded queue is full
     * @throws dev.adapterhub.engine.serve.InvalidRequestException when the engine refuses the request itself
     * @throws dev.adapterhub.engine.serve.EngineClosedException when the engine is closed
     *         (all three become API errors through {@link EngineErrors})
     */
    Generation submit(GenerationSpec spec, TokenSink sink);

    /** Where the base weights live: {@code cpu()} or {@code gpu(0)}. */
    String device();

    /** The base weights' dtype: {@code float32} or {@code float16} (the gateway's {@code runtime.dtype}). */
    String dtype();

    /** Requests waiting for a batch slot. */
    int queuedRequests();

    /** Requests being decoded now. */
    int runningRequests();

    /** Weight switches (SHiRA fuse/restore, LoRA merge/restore) since the engine started. */
    long weightSwitches();

    /** The engine's native tensors now ({@link EngineMemory#NONE} once closed); waits for a step boundary. */
    EngineMemory memory();

    @Override
    void close();
}
