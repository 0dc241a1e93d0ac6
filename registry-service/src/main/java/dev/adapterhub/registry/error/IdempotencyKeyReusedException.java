package dev.adapterhub.registry.error;

/** An idempotency key was sent again with a request body different from the one it first came with. */
public class IdempotencyKeyReusedException extends RegistryException {
    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
