package dev.adapterhub.engine.serve;

/** Loading refused: an adapter with this key is already loaded (keys are immutable versions). */
public final class AdapterAlreadyLoadedException extends ServingException {

    private final String key;

    public AdapterAlreadyLoadedException(String key) {
        super("adapter '" + key + "' is already loaded");
        this.key = key;
    }

    /** The adapter key. */
    public String key() {
        return key;
    }
}
