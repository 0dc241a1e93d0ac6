package dev.adapterhub.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON settings shared by the config readers and writers: strict on input (invalid UTF-8, duplicate keys,
 * trailing garbage and numbers beyond a 64-bit float are errors), and on output 2-space indentation with
 * recursively sorted keys and non-ASCII characters escaped, like Python's
 * {@code json.dumps(indent=2, sort_keys=True)} used by transformers and PEFT. Output is deterministic, and
 * whatever {@link #parse} accepts is written so that it reads back equal.
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
        requireUtf8(json, what, error);
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
        String infinite = firstNonFinite(node, "");
        if (infinite != null) {
            throw error.apply(what + " has a number too large for a 64-bit float at \"" + infinite + "\"");
        }
        return node;
    }

    /**
     * Jackson decodes some invalid UTF-8 (code points past U+10FFFF) into broken surrogates instead of refusing
     * it; such text cannot be written back as the same characters, so it is refused here, as Python does.
     */
    private static void requireUtf8(byte[] json, String what, Function<String, ? extends FormatException> error) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw error.apply(what + " is not valid UTF-8");
        }
    }

    /** The JSON pointer of the first number that overflowed to infinity (Jackson reads 1e999 so), or null. */
    private static String firstNonFinite(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            return path.isEmpty() ? "/" : path;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String found = firstNonFinite(e.getValue(), path + "/" + e.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = firstNonFinite(node.get(i), path + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
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
            // Escaping non-ASCII (in lower-case hex) is Python's default (ensure_ascii), and it keeps lone
            // surrogates, which JSON's escapes allow, intact through a write and a read.
            return MAPPER.writer(printer).with(JsonWriteFeature.ESCAPE_NON_ASCII)
                    .without(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                    .with(new PythonEscapes())
                    .writeValueAsString(sortKeys(node)) + "\n";
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

    /** Jackson's escapes plus DEL (0x7F), which Python's ensure_ascii also writes as a backslash-u escape. */
    private static final class PythonEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        PythonEscapes() {
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
