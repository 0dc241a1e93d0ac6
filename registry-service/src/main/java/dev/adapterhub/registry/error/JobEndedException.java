package dev.adapterhub.registry.error;

/**
 * A 409 that ends the job it answers about: the change (the job FAILED, with its event) is committed, so the
 * transaction must not roll back when this is thrown.
 */
public class JobEndedException extends ConflictException {
    public JobEndedException(String message) {
        super(message);
    }
}
