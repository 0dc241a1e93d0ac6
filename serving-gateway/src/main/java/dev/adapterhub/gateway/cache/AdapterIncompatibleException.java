package dev.adapterhub.gateway.cache;

/**
 * The adapter does not fit the base model (another base, missing modules, wrong shapes, invalid files). Requests
 * get 422: an adapter that does not fit is an error, never silently the base model's output.
 */
public class AdapterIncompatibleException extends AdapterLoadException {

    public AdapterIncompatibleException(String message) {
        super(message, null);
    }
}
