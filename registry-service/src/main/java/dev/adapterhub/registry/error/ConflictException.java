package dev.adapterhub.registry.error;

/** The request is valid but clashes with the current state (duplicate name, wrong lifecycle state). */
public class ConflictException extends RegistryException {
    public ConflictException(String message) {
        super(message);
    }
}
