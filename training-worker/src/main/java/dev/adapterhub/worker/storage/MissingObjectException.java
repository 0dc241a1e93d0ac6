package dev.adapterhub.worker.storage;

/**
 * An object the registry named is not in object storage (deleted behind the registry's back, or a bucket restored
 * without it). Another attempt would find it missing too, so the job fails for good, naming the object.
 */
public class MissingObjectException extends RuntimeException {
    public MissingObjectException(String message) {
        super(message);
    }
}
