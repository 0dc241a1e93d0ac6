package dev.adapterhub.gateway.inference;

/** Receives the generated text as it is decoded, in order, from one engine thread. Must not block. */
@FunctionalInterface
public interface TokenSink {

    /** The next piece of text (may be empty when a token completes no character yet). */
    void onText(String delta);

    TokenSink NONE = delta -> { };
}
