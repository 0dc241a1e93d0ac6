package dev.adapterhub.registry.common;

import dev.adapterhub.registry.error.InvalidRequestException;

import java.util.Arrays;
import java.util.Locale;

/** Parses enum query parameters so an unknown value is a 400 naming the allowed values (JAX-RS would say 404). */
public final class Enums {

    private Enums() {
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
