package dev.adapterhub.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed access to the fields of a JSON object with user-facing error messages
 * ({@code "adapter_config.json: \"r\" must be an integer, got \"eight\""}). Missing and JSON-null fields are
 * treated alike, as Python configs do.
 */
public final class JsonFields {

    private final JsonNode object;
    private final String document;
    private final Function<String, ? extends FormatException> error;

    public JsonFields(JsonNode object, String document, Function<String, ? extends FormatException> error) {
        if (!object.isObject()) {
            throw error.apply(document + " must contain a JSON object");
        }
        this.object = object;
        this.document = document;
        this.error = error;
    }

    /** The field, or null when missing or JSON null. */
    public JsonNode get(String field) {
        JsonNode n = object.get(field);
        return n == null || n.isNull() ? null : n;
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    /** An error naming the document and field. */
    public FormatException fail(String field, String problem) {
        return error.apply(document + ": \"" + field + "\" " + problem);
    }

    public String string(String field, String dflt) {
        JsonNode n = get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw fail(field, "must be a string, got " + n);
        }
        return n.textValue();
    }

    public int integer(String field, Integer dflt) {
        JsonNode n = get(field);
        if (n == null) {
            if (dflt == null) {
                throw fail(field, "is required");
            }
            return dflt;
        }
        // Python json may write 8.0 for an int-typed field; accept integral floats.
        if (n.isNumber() && n.canConvertToInt() && n.asDouble() == Math.rint(n.asDouble())
                && n.asDouble() == n.intValue()) {
            return n.intValue();
        }
        throw fail(field, "must be an integer, got " + n);
    }

    public long longValue(String field, Long dflt) {
        JsonNode n = get(field);
        if (n == null) {
            if (dflt == null) {
                throw fail(field, "is required");
            }
            return dflt;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        throw fail(field, "must be an integer, got " + n);
    }

    public double number(String field, Double dflt) {
        JsonNode n = get(field);
        if (n == null) {
            if (dflt == null) {
                throw fail(field, "is required");
            }
            return dflt;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw fail(field, "must be a finite number, got " + n);
        }
        return n.doubleValue();
    }

    public boolean bool(String field, boolean dflt) {
        JsonNode n = get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw fail(field, "must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    /** A list of strings; a single string is accepted as a one-element list when {@code allowSingle}. */
    public List<String> strings(String field, boolean allowSingle) {
        JsonNode n = get(field);
        if (n == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n.isTextual() && allowSingle) {
            out.add(n.textValue());
            return out;
        }
        if (!n.isArray()) {
            throw fail(field, "must be a list of strings, got " + n);
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw fail(field, "must be a list of strings, got element " + e);
            }
            out.add(e.textValue());
        }
        return out;
    }
}
