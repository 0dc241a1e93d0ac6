package dev.adapterhub.engine.serve;

/** The request itself is invalid (empty prompt, unknown token, limits exceeded); nothing was queued. */
public final class InvalidRequestException extends ServingException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
