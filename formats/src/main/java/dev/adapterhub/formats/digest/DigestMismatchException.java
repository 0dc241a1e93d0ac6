package dev.adapterhub.formats.digest;

import dev.adapterhub.formats.FormatException;

/** Bytes do not have the SHA-256 they were recorded with: a corrupted transfer or a corrupted blob. */
public class DigestMismatchException extends FormatException {

    private final String what;
    private final String expected;
    private final String actual;

    public DigestMismatchException(String what, String expected, String actual) {
        super(what + " has SHA-256 " + actual + ", expected " + expected);
        this.what = what;
        this.expected = expected;
        this.actual = actual;
    }

    /** What was checked, e.g. a file name or a URL. */
    public String what() {
        return what;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
