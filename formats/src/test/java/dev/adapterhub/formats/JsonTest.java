package dev.adapterhub.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static JsonNode parse(byte[] json) {
        return Json.parse(json, "test.json", InvalidTestJson::new);
    }

    private static JsonNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesInvalidUtf8ThatJacksonWouldDecodeToBrokenSurrogates() {
        // F4 AB AD 93 encodes a code point past U+10FFFF (found by PeftConfigFuzzTest).
        byte[] json = {'{', '"', 'v', (byte) 0xF4, (byte) 0xAB, (byte) 0xAD, (byte) 0x93, '"', ':', '1', '}'};
        assertEquals("test.json is not valid UTF-8", assertThrows(InvalidTestJson.class, () -> parse(json)).getMessage());
    }

    @Test
    void refusesNumbersThatOverflowToInfinity() {
        String msg = assertThrows(InvalidTestJson.class, () -> parse("{\"a\": [1, {\"b\": -1e999}]}")).getMessage();
        assertEquals("test.json has a number too large for a 64-bit float at \"/a/1/b\"", msg);
        assertEquals(1e308, parse("{\"a\": 1e308}").get("a").doubleValue());
    }

    @Test
    void writesNonAsciiEscapedLikePythonAndReadsItBack() {
        JsonNode node = parse("{\"name\": \"caf\u00e9 \\ud800 \ud83d\ude00 \u007f\\u0001\\t\"}");
        // Byte for byte what Python's json.dumps(indent=2, sort_keys=True) writes for the same string.
        String text = Json.pretty(node);
        assertEquals("{\n  \"name\": \"caf\\u00e9 \\ud800 \\ud83d\\ude00 \\u007f\\u0001\\t\"\n}\n", text);
        assertEquals(node, parse(text));
    }

    private static final class InvalidTestJson extends FormatException {
        InvalidTestJson(String message) {
            super(message);
        }
    }
}
