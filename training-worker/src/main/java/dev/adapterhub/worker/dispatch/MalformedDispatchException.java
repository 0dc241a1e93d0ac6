package dev.adapterhub.worker.dispatch;

/** A dispatch record no worker can act on; it goes to the dead-letter topic with this message as the reason. */
public class MalformedDispatchException extends Exception {
    public MalformedDispatchException(String message) {
        super(message);
    }
}
