package dev.adapterhub.registry.error;

/** The request itself is malformed: a missing field, a bad name, an unknown query value. */
public class InvalidRequestException extends RegistryException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
