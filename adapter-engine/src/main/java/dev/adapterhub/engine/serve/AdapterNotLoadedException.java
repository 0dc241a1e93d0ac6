package dev.adapterhub.engine.serve;

/** The request or operation names an adapter key that is not loaded. */
public final class AdapterNotLoadedException extends ServingException {

    private final String key;

    public AdapterNotLoadedException(String key) {
        super("adapter '" + key + "' is not loaded");
        this.key = key;
    }

    /** The adapter key. */
    public String key() {
        return key;
    }
}
