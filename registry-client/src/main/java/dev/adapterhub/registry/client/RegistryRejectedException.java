package dev.adapterhub.registry.client;

/**
 * The registry refused the call with a 4xx problem; repeating it unchanged will not help. 404 and 409 have their
 * own subclasses; this class itself stands for the other 4xx (400 invalid request, 422 validation failed, ...).
 */
public class RegistryRejectedException extends RegistryException {

    public RegistryRejectedException(String message, int status, Problem problem) {
        super(message, status, problem, null);
    }
}
