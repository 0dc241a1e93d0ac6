package dev.adapterhub.engine.serve;

/**
 * Streaming callback of one request. Called on the scheduler thread once per generated token, in order; must not
 * block and must not call the engine's blocking methods (hand the text to another thread).
 */
@FunctionalInterface
public interface TokenListener {

    /** No streaming. */
    TokenListener NONE = delta -> { };

    /**
     * @param textDelta text that became final with this token; may be empty while a possible stop-string prefix or
     *                  an incomplete UTF-8 sequence is held back. All deltas concatenated equal the result's text.
     */
    void onToken(String textDelta);
}
