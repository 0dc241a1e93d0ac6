package dev.adapterhub.engine.serve;

/** Base of every error the serving engine reports to its caller. */
public class ServingException extends RuntimeException {

    public ServingException(String message) {
        super(message);
    }

    public ServingException(String message, Throwable cause) {
        super(message, cause);
    }
}
