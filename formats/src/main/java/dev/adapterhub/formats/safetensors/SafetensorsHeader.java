package dev.adapterhub.formats.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed and fully validated header of a safetensors file.
 *
 * <p>Layout: an unsigned 64-bit little-endian length N, N bytes of UTF-8 JSON
 * ({@code {name: {dtype, shape, data_offsets}}} plus optional {@code "__metadata__"} string map), then the data
 * section. Validation follows the reference implementation (huggingface/safetensors): the tensors' byte ranges
 * must tile the data section exactly (no gaps, no overlaps) and the data section must end exactly at the end of
 * the file. Every violation raises {@link InvalidSafetensorsException} with a message naming the tensor.
 *
 * <p>Instances are immutable.
 */
public final class SafetensorsHeader {

    /** The reference implementation's limit on the JSON header (100,000,000 bytes), guarding memory use. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final long headerLength;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final long dataLength;

    private SafetensorsHeader(long headerLength, Map<String, TensorInfo> tensors, Map<String, String> metadata,
                              long dataLength) {
        this.headerLength = headerLength;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.dataLength = dataLength;
    }

    /**
     * Reads and validates the header of a file.
     *
     * @throws InvalidSafetensorsException if the file is not valid safetensors
     * @throws IOException                 if the file cannot be read
     */
    public static SafetensorsHeader read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, DEFAULT_MAX_HEADER_BYTES);
        }
    }

    /** {@link #read(InputStream, long, long)} with {@link #DEFAULT_MAX_HEADER_BYTES}. */
    public static SafetensorsHeader read(InputStream in, long fileSize) throws IOException {
        return read(in, fileSize, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Reads exactly {@code 8 + N} bytes (the length prefix and the JSON header) from {@code in} and validates
     * them; the stream is left positioned at the first data byte so a caller can keep streaming the data (for
     * example to object storage) after validation.
     *
     * @param in             the stream, positioned at the start of the file; not closed
     * @param fileSize       total size of the file in bytes (e.g. a Content-Length), or a negative value if
     *                       unknown; when unknown, the checks against the file end are skipped and the caller
     *                       must compare {@link #expectedFileSize()} with the number of bytes actually received
     * @param maxHeaderBytes largest accepted JSON header length
     * @throws InvalidSafetensorsException if the header is invalid (including a stream that ends early)
     * @throws IOException                 if reading fails
     */
    public static SafetensorsHeader read(InputStream in, long fileSize, long maxHeaderBytes) throws IOException {
        byte[] prefix = in.readNBytes(8);
        if (prefix.length < 8) {
            throw new InvalidSafetensorsException("file is too short (" + prefix.length
                    + " bytes) to hold the 8-byte safetensors header length");
        }
        long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(n, fileSize, maxHeaderBytes);
        byte[] json = in.readNBytes((int) n);
        if (json.length < n) {
            throw new InvalidSafetensorsException("file ends inside the header: expected " + n
                    + " header bytes, got " + json.length);
        }
        return parse(json, fileSize);
    }

    private static void checkHeaderLength(long n, long fileSize, long maxHeaderBytes) {
        if (n < 0 || n > maxHeaderBytes) {
            throw new InvalidSafetensorsException("header length " + Long.toUnsignedString(n)
                    + " bytes exceeds the limit of " + maxHeaderBytes + " bytes");
        }
        if (n > Integer.MAX_VALUE - 16) {
            throw new InvalidSafetensorsException("header length " + n + " bytes is too large to parse");
        }
        if (fileSize >= 0 && n > fileSize - 8) {
            throw new InvalidSafetensorsException("header length " + n + " bytes exceeds the file size ("
                    + fileSize + " bytes, of which 8 hold the length)");
        }
        if (n < 2) {
            throw new InvalidSafetensorsException("header length " + n + " is too small to hold a JSON object");
        }
    }

    /**
     * Parses and validates the JSON header bytes (without the 8-byte length prefix).
     *
     * @param json     the N header bytes
     * @param fileSize total file size, or negative if unknown
     */
    public static SafetensorsHeader parse(byte[] json, long fileSize) {
        if (json.length == 0 || json[0] != '{') {
            throw new InvalidSafetensorsException("header is not a JSON object (it must start with '{')");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSafetensorsException("header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidSafetensorsException("header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSafetensorsException("header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (METADATA_KEY.equals(e.getKey())) {
                parseMetadata(e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), parseTensor(e.getKey(), e.getValue()));
            }
        }
        long dataLength = checkLayout(tensors);
        long headerLength = json.length;
        if (fileSize >= 0) {
            long available = fileSize - 8 - headerLength;
            if (dataLength > available) {
                String last = lastTensorName(tensors);
                throw new InvalidSafetensorsException("data of tensor \"" + last + "\" ends at byte "
                        + (8 + headerLength + dataLength) + ", beyond the end of the file (" + fileSize
                        + " bytes)");
            }
            if (dataLength < available) {
                throw new InvalidSafetensorsException("file has " + (available - dataLength)
                        + " trailing bytes after the last tensor's data");
            }
        }
        return new SafetensorsHeader(headerLength, tensors, metadata, dataLength);
    }

    private static void parseMetadata(JsonNode node, Map<String, String> out) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new InvalidSafetensorsException("\"__metadata__\" must be an object of string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new InvalidSafetensorsException("\"__metadata__\" value for \"" + e.getKey()
                        + "\" must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo parseTensor(String name, JsonNode node) {
        String where = "tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new InvalidSafetensorsException(where + ": entry must be an object with dtype, shape and "
                    + "data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new InvalidSafetensorsException(where + ": missing or non-string \"dtype\"");
        }
        DType dtype;
        try {
            dtype = DType.parse(dtypeNode.textValue());
        } catch (InvalidSafetensorsException e) {
            throw new InvalidSafetensorsException(where + ": " + e.getMessage());
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new InvalidSafetensorsException(where + ": missing or non-array \"shape\"");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), where + ": shape[" + i + "]");
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new InvalidSafetensorsException(where + ": \"data_offsets\" must be an array [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), where + ": data_offsets[0]");
        long end = nonNegativeLong(offsets.get(1), where + ": data_offsets[1]");
        if (end < begin) {
            throw new InvalidSafetensorsException(where + ": data_offsets end " + end + " is before begin "
                    + begin);
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(TensorInfo.numel(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new InvalidSafetensorsException(where + ": shape " + java.util.Arrays.toString(shape)
                    + " overflows the addressable size");
        }
        if (end - begin != expectedBytes) {
            throw new InvalidSafetensorsException(where + ": data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + java.util.Arrays.toString(shape) + " of " + dtype
                    + " needs " + expectedBytes + " bytes");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber()) {
            throw new InvalidSafetensorsException(what + " must be a non-negative integer");
        }
        if (!n.canConvertToLong()) {
            throw new InvalidSafetensorsException(what + " is too large (" + n.asText() + ")");
        }
        long v = n.longValue();
        if (v < 0) {
            throw new InvalidSafetensorsException(what + " must be a non-negative integer, got " + v);
        }
        return v;
    }

    /** Checks that the byte ranges tile [0, dataLength) exactly; returns dataLength. */
    private static long checkLayout(Map<String, TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < expected) {
                throw new InvalidSafetensorsException("tensor \"" + t.name() + "\" (bytes " + t.begin() + ".."
                        + t.end() + ") overlaps tensor \"" + previous.name() + "\" (bytes " + previous.begin()
                        + ".." + previous.end() + ")");
            }
            if (t.begin() > expected) {
                throw new InvalidSafetensorsException("gap of " + (t.begin() - expected) + " bytes before tensor \""
                        + t.name() + "\" (data must be contiguous" + (previous == null ? " from offset 0"
                        : " after tensor \"" + previous.name() + "\"") + ")");
            }
            expected = t.end();
            previous = t;
        }
        return expected;
    }

    private static String lastTensorName(Map<String, TensorInfo> tensors) {
        return tensors.values().stream().max(Comparator.comparingLong(TensorInfo::end))
                .map(TensorInfo::name).orElse("");
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map (empty if absent), in header order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor with this name, if present. */
    public Optional<TensorInfo> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** Length N of the JSON header (including padding). */
    public long headerLength() {
        return headerLength;
    }

    /** Absolute file offset of the data section ({@code 8 + N}). */
    public long dataStart() {
        return 8 + headerLength;
    }

    /** Bytes in the data section. */
    public long dataLength() {
        return dataLength;
    }

    /** The only file size consistent with this header ({@code 8 + N + dataLength}). */
    public long expectedFileSize() {
        return dataStart() + dataLength;
    }
}
