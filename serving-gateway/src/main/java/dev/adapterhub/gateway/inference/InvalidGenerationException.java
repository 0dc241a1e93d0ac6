package dev.adapterhub.gateway.inference;

/** The engine refused the request as such (prompt too long for the context, ...): 400. */
public class InvalidGenerationException extends RuntimeException {

    public InvalidGenerationException(String message) {
        super(message);
    }
}
