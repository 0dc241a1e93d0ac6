package dev.adapterhub.formats.safetensors;

import dev.adapterhub.formats.FormatException;

/**
 * A safetensors file (or stream) violates the format: bad header length, invalid JSON, unknown dtype, offsets
 * that do not match the shapes, gaps, overlaps, truncation or trailing bytes. Unchecked (see
 * {@link FormatException}); real I/O errors are reported as {@link java.io.IOException}.
 */
public class InvalidSafetensorsException extends FormatException {

    public InvalidSafetensorsException(String message) {
        super(message);
    }

    public InvalidSafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
