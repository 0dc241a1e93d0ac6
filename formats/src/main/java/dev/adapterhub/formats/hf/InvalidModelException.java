package dev.adapterhub.formats.hf;

import dev.adapterhub.formats.FormatException;

/** A HF model directory or {@code config.json} is malformed or describes an unsupported architecture. */
public class InvalidModelException extends FormatException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
