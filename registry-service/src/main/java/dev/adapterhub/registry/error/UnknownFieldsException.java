package dev.adapterhub.registry.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.util.List;

/**
 * A JSON object in a request body names fields its type does not have. Raised by the strict deserializers of
 * the few request objects where a silently ignored typo would change what is done (hyperparameters); Jackson's
 * global setting still ignores unknown fields everywhere else. A Jackson exception so that Jackson prepends the
 * path of the enclosing fields, which the mapper turns into one violation per unknown field.
 */
public class UnknownFieldsException extends MismatchedInputException {

    private final List<String> fields;

    public UnknownFieldsException(JsonParser parser, Class<?> target, List<String> fields) {
        super(parser, "Unknown fields " + fields, target);
        this.fields = List.copyOf(fields);
    }

    /** The unknown field names, relative to the object that holds them. */
    public List<String> fields() {
        return fields;
    }
}
