package dev.adapterhub.registry.error;

/**
 * Root of every domain exception. The message is written for the API client (it becomes the problem
 * {@code detail}), so it never contains class names, stack traces or internal identifiers.
 */
public abstract class RegistryException extends RuntimeException {

    protected RegistryException(String message) {
        super(message);
    }

    protected RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
