package dev.adapterhub.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * JSON settings shared by the config readers and writers: strict on input (duplicate keys, trailing garbage are
 * errors), and on output 2-space indentation with recursively sorted keys, like Python's
 * {@code json.dumps(indent=2, sort_keys=True)} used by transformers and PEFT. Output is deterministic.
 */
public final class Json {

    /** Strict mapper for parsing. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * Parses JSON text.
     *
     * @param what  the document's name for messages (e.g. "adapter_config.json")
     * @param error builds the exception thrown, from a message, if the text is not JSON
     */
    public static JsonNode parse(byte[] json, String what, Function<String, ? extends FormatException> error) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw error.apply(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw error.apply(what + " is not valid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw error.apply(what + " is empty");
        }
        return node;
    }

    /** Pretty-prints with sorted keys, 2-space indentation and a trailing newline. */
    public static String pretty(JsonNode node) {
        // Python's layout: "key": value, {} and [] for empty containers, one element per line otherwise.
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(sortKeys(node)) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    /** A copy of {@code node} with every object's keys sorted. */
    public static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = MAPPER.createObjectNode();
            for (String n : names) {
                out.set(n, sortKeys(node.get(n)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(sortKeys(e)));
            return out;
        }
        return node;
    }
}
