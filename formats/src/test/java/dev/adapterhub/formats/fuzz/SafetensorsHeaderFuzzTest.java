package dev.adapterhub.formats.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.formats.safetensors.TensorInfo;
import org.junit.jupiter.api.Tag;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safetensors header parser on arbitrary bytes (whole files: length prefix, JSON header, data): it accepts, or
 * refuses with the format's own exception; never another exception, an out-of-memory or a hang. Seeds in
 * {@code SafetensorsHeaderFuzzTestInputs/headerParser/} (the long run reads the same, through a link); how to run
 * them: docs/reliability.md.
 */
class SafetensorsHeaderFuzzTest {

    /** Small enough that a fuzzer's length prefix cannot ask for gigabytes; the parser's checks are the same. */
    private static final long MAX_HEADER = 1 << 20;

    @FuzzTest(maxDuration = FuzzDurations.BUILD)
    void headerParser(byte[] file) throws IOException {
        check(file);
    }

    @Tag(FuzzDurations.LONG_TAG)
    @FuzzTest(maxDuration = FuzzDurations.LONG)
    void headerParserForMinutes(byte[] file) throws IOException {
        check(file);
    }

    private static void check(byte[] file) throws IOException {
        SafetensorsHeader header;
        try {
            header = SafetensorsHeader.read(new ByteArrayInputStream(file), file.length, MAX_HEADER);
        } catch (FormatException refused) {
            return;
        }
        assertTrue(header.expectedFileSize() <= file.length, "accepted a header whose data runs past the file");
        for (TensorInfo tensor : header.tensors().values()) {
            assertTrue(tensor.begin() <= tensor.end() && tensor.end() <= header.dataLength(), tensor.name());
        }
    }
}
