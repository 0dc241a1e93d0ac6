package dev.adapterhub.gateway.registry;

/** The registry could not be reached or answered an unexpected status; requests get 503. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
