package dev.adapterhub.registry.error;

/** The named base model, adapter, version, alias or file does not exist. */
public class ResourceNotFoundException extends RegistryException {
    public ResourceNotFoundException(String message) {
        super(message);
    }
}
