package dev.adapterhub.registry.error;

/** The operator has not configured what the request needs (e.g. the key that encrypts webhook secrets): 503. */
public class NotConfiguredException extends RegistryException {
    public NotConfiguredException(String message) {
        super(message);
    }
}
