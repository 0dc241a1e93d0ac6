package dev.adapterhub.registry.error;

import java.util.List;

/** A request body broke one or more field rules; every broken rule is listed (problem {@code violations}). */
public class InvalidFieldsException extends InvalidRequestException {

    private final List<String> violations;

    public InvalidFieldsException(String message, List<String> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
