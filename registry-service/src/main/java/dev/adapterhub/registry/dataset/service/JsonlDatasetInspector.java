package dev.adapterhub.registry.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.formats.digest.Sha256;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a prompt/completion JSONL stream once: checks every line (the same rules as the engine's
 * {@code PromptCompletionDataset}: a JSON object with string {@code prompt} and non-empty string
 * {@code completion}; blank lines skipped), counts examples and computes the SHA-256 of the bytes.
 */
public final class JsonlDatasetInspector {

    /** Violations reported per file; a broken file usually breaks every line the same way. */
    static final int MAX_VIOLATIONS = 20;

    /** Longest line accepted (one example); longer lines are violations, read past without being kept. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What one pass over the file found. */
    public record Result(String sha256Hex, long sizeBytes, int exampleCount, List<String> violations) {
    }

    private JsonlDatasetInspector() {
    }

    public static Result inspect(InputStream in) throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        CountingInputStream counting = new CountingInputStream(new DigestInputStream(in, sha256));
        List<String> violations = new ArrayList<>();
        int examples = 0;
        int lineNumber = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8
                .newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)));
        try {
            StringBuilder buffer = new StringBuilder();
            for (int length = readLine(reader, buffer); length >= 0; length = readLine(reader, buffer)) {
                lineNumber++;
                String line = buffer.toString();
                if (length <= MAX_LINE_CHARS && line.isBlank()) {
                    continue;
                }
                String problem = length > MAX_LINE_CHARS
                        ? "longer than " + MAX_LINE_CHARS + " characters"
                        : check(line);
                if (problem == null) {
                    examples++;
                } else if (violations.size() < MAX_VIOLATIONS) {
                    violations.add("line " + lineNumber + ": " + problem);
                }
            }
        } catch (CharacterCodingException e) {
            violations.add("line " + (lineNumber + 1) + ": not valid UTF-8");
            // Drain so the digest still covers the whole file.
            counting.transferTo(OutputStreamSink.INSTANCE);
        }
        if (violations.isEmpty() && examples == 0) {
            violations.add("the file holds no examples");
        }
        return new Result(Sha256.finish(sha256), counting.count, examples, violations);
    }

    /**
     * Reads the next line into {@code buffer} (at most {@link #MAX_LINE_CHARS} of it kept, so a file without line
     * breaks cannot fill the heap); answers the line's full length, or -1 at the end of the stream. Lines end
     * as {@link BufferedReader#readLine()} ends them: at \n, \r or \r\n.
     */
    private static int readLine(BufferedReader reader, StringBuilder buffer) throws IOException {
        buffer.setLength(0);
        int length = 0;
        int c = reader.read();
        if (c < 0) {
            return -1;
        }
        while (c >= 0 && c != '\n' && c != '\r') {
            if (length < MAX_LINE_CHARS) {
                buffer.append((char) c);
            }
            length = length == Integer.MAX_VALUE ? length : length + 1;
            c = reader.read();
        }
        if (c == '\r') {
            reader.mark(1);
            if (reader.read() != '\n') {
                reader.reset();
            }
        }
        return length;
    }

    private static String check(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return "not valid JSON";
        }
        if (node == null || !node.isObject()) {
            return "not a JSON object";
        }
        if (!node.path("prompt").isTextual()) {
            return "\"prompt\" must be a string";
        }
        if (!node.path("completion").isTextual() || node.path("completion").asText().isEmpty()) {
            return "\"completion\" must be a non-empty string";
        }
        return null;
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
