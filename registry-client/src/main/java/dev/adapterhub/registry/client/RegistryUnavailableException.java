package dev.adapterhub.registry.client;

/**
 * The registry could not be reached, answered 5xx, or sent an answer this client cannot read: the same call may
 * succeed later. Thrown after the client's own retries of idempotent calls are used up.
 */
public class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message, int status, Problem problem, Throwable cause) {
        super(message, status, problem, cause);
    }
}
