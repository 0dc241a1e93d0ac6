package dev.adapterhub.registry.error;

/** A compare-and-set precondition (for example the expected current version of an alias) did not hold. */
public class ExpectationMismatchException extends ConflictException {
    public ExpectationMismatchException(String message) {
        super(message);
    }
}
