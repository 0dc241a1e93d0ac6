package dev.adapterhub.engine.tokenizer;

import dev.adapterhub.engine.testkit.ByteLevelTokenizerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextTokenizerTest {

    @TempDir
    Path tmp;

    @Test
    void byteLevelTokenizerRoundTripsTextAndIsDeterministic() throws Exception {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        ByteLevelTokenizerJson.write(a);
        ByteLevelTokenizerJson.write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (TextTokenizer t = TextTokenizer.load(a)) {
            assertEquals(ByteLevelTokenizerJson.VOCAB_SIZE, t.vocabSize());
            assertEquals(1, t.bosId());
            assertEquals(2, t.eosId());
            assertEquals(0, t.padId());
            int[] hi = t.encode("hi", true);
            assertArrayEquals(new int[] {1, 3 + 'h', 3 + 'i'}, hi);
            String text = "Hello, wörld! 12 + 30 = 42\n\ttabs and  spaces ✓";
            int[] ids = t.encode(text, false);
            assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, ids.length);
            assertEquals(text, t.decode(ids));
            assertEquals("hi", t.decode(hi));
        }
    }

    @Test
    void longInputsAreNotTruncated() throws Exception {
        Path a = tmp.resolve("tokenizer.json");
        ByteLevelTokenizerJson.write(a);
        try (TextTokenizer t = TextTokenizer.load(tmp)) {
            String text = "x".repeat(2000);
            assertEquals(2000, t.encode(text, false).length);
        }
    }

    @Test
    void missingFileIsAnError() {
        assertThrows(java.io.IOException.class, () -> TextTokenizer.load(tmp.resolve("nope.json")));
    }
}
