package dev.adapterhub.engine.serve;

/** Why a served request ended. */
public enum ServeFinishReason {
    /** EOS or a stop string. */
    STOP,
    /** {@code maxTokens} reached. */
    LENGTH,
    /** {@link RequestHandle#cancel()} (or the engine closed). */
    CANCELLED,
    /** The request's timeout passed (queued or running). */
    TIMEOUT
}
