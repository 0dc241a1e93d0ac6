package dev.adapterhub.worker.registry;

/** The registry could not be reached or answered 5xx: the same call may succeed later. */
public class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
