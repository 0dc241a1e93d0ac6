package dev.adapterhub.transfer.plan;

/** A transfer (or what a request names) that does not exist: 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
