package dev.adapterhub.formats.peft;

import dev.adapterhub.formats.FormatException;

/** An adapter's files or {@code adapter_config.json} are malformed, unsupported or pickled. */
public class InvalidAdapterException extends FormatException {

    public InvalidAdapterException(String message) {
        super(message);
    }

    public InvalidAdapterException(String message, Throwable cause) {
        super(message, cause);
    }
}
