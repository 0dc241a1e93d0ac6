package dev.adapterhub.engine.train;

/** The training data cannot be used; the message says where (line number, field) without echoing content. */
public class InvalidDatasetException extends RuntimeException {

    public InvalidDatasetException(String message) {
        super(message);
    }
}
