package dev.adapterhub.worker.cache;

/** A downloaded input does not have the digest the registry recorded. */
public class CorruptInputException extends RuntimeException {
    public CorruptInputException(String message) {
        super(message);
    }
}
