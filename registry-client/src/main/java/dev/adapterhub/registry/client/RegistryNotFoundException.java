package dev.adapterhub.registry.client;

/** 404: the named base model, adapter, version, dataset or job does not exist. */
public class RegistryNotFoundException extends RegistryRejectedException {

    public RegistryNotFoundException(String message, Problem problem) {
        super(message, 404, problem);
    }
}
