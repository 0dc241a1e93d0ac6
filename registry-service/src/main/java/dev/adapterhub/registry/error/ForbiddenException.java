package dev.adapterhub.registry.error;

/** The caller is known but may not do this: 403. Never used where the answer would reveal a hidden resource. */
public class ForbiddenException extends RegistryException {
    public ForbiddenException(String message) {
        super(message);
    }
}
