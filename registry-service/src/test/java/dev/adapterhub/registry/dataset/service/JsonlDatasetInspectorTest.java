package dev.adapterhub.registry.dataset.service;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonlDatasetInspectorTest {

    @Test
    void linesEndAtLineFeedCarriageReturnOrBoth() throws IOException {
        String text = "{\"prompt\": \"a\", \"completion\": \"b\"}\r\n{\"prompt\": \"c\", \"completion\": \"d\"}\r"
                + "{\"prompt\": \"e\", \"completion\": \"f\"}\n\n{\"prompt\": \"g\", \"completion\": \"h\"}";
        JsonlDatasetInspector.Result result = inspect(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(4, result.exampleCount());
        assertEquals(List.of(), result.violations());
    }

    @Test
    void aLineLongerThanTheLimitIsAViolationAndIsNotKept() throws IOException {
        // A gigabyte without a line break must not be held in memory: this stream never materialises it.
        long size = 1L << 30;
        InputStream endless = new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        JsonlDatasetInspector.Result result = JsonlDatasetInspector.inspect(endless);
        assertEquals(size, result.sizeBytes());
        assertEquals(List.of("line 1: longer than " + JsonlDatasetInspector.MAX_LINE_CHARS + " characters"),
                result.violations());
    }

    private static JsonlDatasetInspector.Result inspect(byte[] bytes) throws IOException {
        return JsonlDatasetInspector.inspect(new ByteArrayInputStream(bytes));
    }
}
