package dev.adapterhub.engine.generate;

/** Why a row stopped generating. */
public enum FinishReason {
    /** Reached {@code maxNewTokens}. */
    LENGTH,
    /** Produced one of the stop token ids (e.g. EOS); the token is included in the result. */
    STOP_TOKEN,
    /** The decoded text reached a stop string; the text is cut before it. */
    STOP_STRING
}
