package dev.adapterhub.registry.error;

/** A resource with the same unique name already exists. */
public class AlreadyExistsException extends ConflictException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
