package dev.adapterhub.worker.storage;

/** Object storage failed; worth another attempt (the registry re-queues retryable failures). */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
