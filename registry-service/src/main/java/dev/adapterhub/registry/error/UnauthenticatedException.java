package dev.adapterhub.registry.error;

/** No credential, or one that does not verify: 401. */
public class UnauthenticatedException extends RegistryException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
