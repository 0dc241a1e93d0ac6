package dev.adapterhub.engine.serve;

/** Unloading refused: the adapter has queued or running requests. */
public final class AdapterInUseException extends ServingException {

    private final String key;

    public AdapterInUseException(String key) {
        super("adapter '" + key + "' has queued or running requests");
        this.key = key;
    }

    /** The adapter key. */
    public String key() {
        return key;
    }
}
