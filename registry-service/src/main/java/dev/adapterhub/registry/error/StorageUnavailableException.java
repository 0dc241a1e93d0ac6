package dev.adapterhub.registry.error;

/** Object storage could not be reached or answered with an unexpected error. */
public class StorageUnavailableException extends RegistryException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
