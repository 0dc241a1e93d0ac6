package dev.adapterhub.registry.dataset.service;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.adapterhub.formats.digest.Sha256;
import org.junit.jupiter.api.Tag;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSONL dataset inspector on arbitrary bytes: it always answers (examples counted, violations listed, the
 * digest of every byte), never throws, runs out of memory or hangs. Seeds in {@code JsonlDatasetFuzzTestInputs/}.
 */
class JsonlDatasetFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void inspector(byte[] file) throws IOException {
        check(file);
    }

    @Tag("fuzz-long")
    @FuzzTest(maxDuration = "3m")
    void inspectorForMinutes(byte[] file) throws IOException {
        check(file);
    }

    private static void check(byte[] file) throws IOException {
        JsonlDatasetInspector.Result result = JsonlDatasetInspector.inspect(new ByteArrayInputStream(file));
        assertEquals(file.length, result.sizeBytes());
        assertEquals(Sha256.hex(file), result.sha256Hex());
        assertTrue(result.exampleCount() > 0 || !result.violations().isEmpty(), "an empty verdict");
        assertTrue(result.violations().size() <= JsonlDatasetInspector.MAX_VIOLATIONS + 1, result.violations()
                .toString());
    }
}
