package dev.adapterhub.gateway.cache;

/** Loading an adapter failed (download, integrity or engine); the message is safe to show to clients. */
public class AdapterLoadException extends RuntimeException {

    public AdapterLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
