package dev.adapterhub.registry.common;

import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;

import java.util.regex.Pattern;

/**
 * Shapes of the names clients choose. Names never contain '@' or '/', so {@code name@selector} references and
 * URL paths stay unambiguous.
 */
public final class Names {

    /** Base model and adapter names, team names, revisions. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Aliases start with a letter so they never look like a version number. */
    public static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    /** Tags: lower case words. */
    public static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,63}");
    /** The selector that names the newest non-deprecated version; reserved, so no alias may use it. */
    public static final String LATEST = "latest";

    private Names() {
    }

    public static String require(String field, String value, Pattern pattern) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidRequestException(field + " '" + Messages.abbreviate(value) + "' must match "
                    + pattern.pattern());
        }
        return value;
    }
}
