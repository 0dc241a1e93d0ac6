package dev.adapterhub.formats.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsHeaderTest {

    /** A file with the given JSON header and {@code dataBytes} zero data bytes. */
    private static byte[] file(String json, int dataBytes) {
        return file(json.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private static byte[] file(byte[] header, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    private static SafetensorsHeader read(byte[] bytes) throws Exception {
        return SafetensorsHeader.read(new ByteArrayInputStream(bytes), bytes.length);
    }

    private static String rejected(byte[] bytes) {
        return assertThrows(InvalidSafetensorsException.class, () -> read(bytes)).getMessage();
    }

    private static void assertRejected(byte[] bytes, String... fragments) {
        String msg = rejected(bytes);
        for (String f : fragments) {
            assertTrue(msg.contains(f), "message \"" + msg + "\" should contain \"" + f + "\"");
        }
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    @Test
    void validHeaderKeepsOrderAndMetadata() throws Exception {
        SafetensorsHeader h = read(file("{" + t("z", "F32", "[2]", 0, 8) + "," + t("a", "BF16", "[2,2]", 8, 16)
                + ",\"__metadata__\":{\"format\":\"pt\"}}  ", 16));
        assertEquals(List.of("z", "a"), List.copyOf(h.tensors().keySet()));
        assertEquals("pt", h.metadata().get("format"));
        assertEquals(new TensorInfo("a", DType.BF16, new long[] {2, 2}, 8, 16), h.tensors().get("a"));
        assertEquals(4, h.tensors().get("a").numel());
    }

    @Test
    void tensorsMayBeListedOutOfOffsetOrder() throws Exception {
        SafetensorsHeader h = read(file("{" + t("b", "F32", "[1]", 4, 8) + "," + t("a", "F32", "[1]", 0, 4)
                + "," + t("e", "F32", "[0]", 8, 8) + "}", 8));
        assertEquals(3, h.tensors().size());
    }

    @Test
    void headerLongerThanLimit() {
        byte[] bytes = file("{}", 0);
        String msg = assertThrows(InvalidSafetensorsException.class,
                () -> SafetensorsHeader.read(new ByteArrayInputStream(bytes), bytes.length, 1)).getMessage();
        assertTrue(msg.contains("exceeds the limit of 1 bytes"), msg);
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
        assertRejected(huge, "exceeds the limit");
        byte[] big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array();
        assertRejected(big, "200000000", "exceeds the limit of 100000000");
    }

    @Test
    void headerLongerThanFile() {
        byte[] bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(64).array();
        assertRejected(bytes, "header length 64", "exceeds the file size (20 bytes");
    }

    @Test
    void truncatedStreams() {
        assertRejected(new byte[3], "too short");
        byte[] bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(64).array();
        String msg = assertThrows(InvalidSafetensorsException.class,
                () -> SafetensorsHeader.read(new ByteArrayInputStream(bytes), -1)).getMessage();
        assertTrue(msg.contains("file ends inside the header"), msg);
    }

    @Test
    void invalidJson() {
        assertRejected(file("{\"a\":", 0), "not valid JSON");
        assertRejected(file("[1,2]  ", 0), "JSON object");
        assertRejected(file("{} {}", 0), "not valid JSON");
        assertRejected(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8),
                "not valid JSON", "Duplicate");
        assertRejected(file(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '}, 0), "not valid JSON");
    }

    @Test
    void unknownDtype() {
        assertRejected(file("{" + t("w", "F8_E4M3", "[4]", 0, 4) + "}", 4), "tensor \"w\"",
                "unsupported dtype \"F8_E4M3\"");
    }

    @Test
    void badShapes() {
        assertRejected(file("{" + t("w", "F32", "[-1]", 0, 4) + "}", 4), "tensor \"w\"", "shape[0]",
                "non-negative");
        assertRejected(file("{" + t("w", "F32", "[1.5]", 0, 4) + "}", 4), "tensor \"w\"", "shape[0]");
        assertRejected(file("{" + t("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4), "tensor \"w\"",
                "overflows");
        assertRejected(file("{" + t("w", "F32", "[99999999999999999999]", 0, 4) + "}", 4), "tensor \"w\"",
                "too large");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor \"w\"", "shape");
    }

    @Test
    void offsetsNotMatchingShape() {
        assertRejected(file("{" + t("w", "F32", "[2,3]", 0, 20) + "}", 20), "tensor \"w\"", "span 20 bytes",
                "needs 24 bytes");
        assertRejected(file("{" + t("w", "F32", "[1]", 8, 4) + "}", 8), "tensor \"w\"", "before begin");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "tensor \"w\"",
                "data_offsets");
    }

    @Test
    void overlapAndGap() {
        assertRejected(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[1]", 4, 8) + "}", 8),
                "tensor \"b\"", "overlaps tensor \"a\"");
        assertRejected(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12),
                "gap of 4 bytes before tensor \"b\"");
        assertRejected(file("{" + t("a", "F32", "[1]", 4, 8) + "}", 8), "gap of 4 bytes before tensor \"a\"");
    }

    @Test
    void dataBeyondEndAndTrailingBytes() {
        assertRejected(file("{" + t("a", "F32", "[4]", 0, 16) + "}", 12), "tensor \"a\"", "beyond the end");
        assertRejected(file("{" + t("a", "F32", "[1]", 0, 4) + "}", 9), "5 trailing bytes");
    }

    @Test
    void badMetadata() {
        assertRejected(file("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__", "format", "string");
        assertRejected(file("{\"__metadata__\":[1]}", 0), "__metadata__");
    }

    @Test
    void readFromPathValidatesWholeFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("x.safetensors");
        Files.write(p, file("{" + t("a", "F32", "[1]", 0, 4) + "}", 4));
        assertEquals(4, SafetensorsHeader.read(p).dataLength());
        Files.write(p, file("{" + t("a", "F32", "[1]", 0, 4) + "}", 3));
        assertThrows(InvalidSafetensorsException.class, () -> SafetensorsHeader.read(p));
        assertThrows(InvalidSafetensorsException.class, () -> SafetensorsReader.open(p));
    }
}
