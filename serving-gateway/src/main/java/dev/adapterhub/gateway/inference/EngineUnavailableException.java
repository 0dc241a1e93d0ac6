package dev.adapterhub.gateway.inference;

/** The engine is closing or failed: 503. */
public class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
