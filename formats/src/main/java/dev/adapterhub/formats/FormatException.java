package dev.adapterhub.formats;

/**
 * Base class of every "the content is malformed" error raised by this library.
 *
 * <p>Unchecked on purpose: genuine I/O failures stay {@link java.io.IOException}s, while a bad file or config is
 * a caller-input problem that services map to one HTTP status (400/422) in one place. Messages are written for
 * end users: they name the offending tensor, field or module and never contain class names.
 */
public class FormatException extends RuntimeException {

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
