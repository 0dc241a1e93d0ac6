package dev.adapterhub.formats.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static final float[] FLOATS = {1.0f, -2.5f, 0.1f, 3.14159265f, 0f, -0f, 65504f, 1e-8f};

    private static Map<String, Tensor> everyDtype() {
        long[] s = {2, 4};
        return SafetensorsWriter.byName(List.of(
                Tensor.ofFloats("f32", s, FLOATS),
                Tensor.ofFloats("f64", DType.F64, s, FLOATS),
                Tensor.ofFloats("f16", DType.F16, s, FLOATS),
                Tensor.ofFloats("bf16", DType.BF16, s, FLOATS),
                Tensor.ofLongs("i64", DType.I64, new long[] {3}, new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}),
                Tensor.ofInts("i32", new long[] {3}, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}),
                Tensor.ofInts("i16", DType.I16, new long[] {2}, new int[] {-32768, 32767}),
                Tensor.ofInts("i8", DType.I8, new long[] {2}, new int[] {-128, 127}),
                Tensor.ofInts("u8", DType.U8, new long[] {2}, new int[] {0, 255}),
                Tensor.ofInts("bool", DType.BOOL, new long[] {2}, new int[] {1, 0}),
                Tensor.ofFloats("scalar", new long[0], new float[] {42f}),
                Tensor.ofFloats("empty", new long[] {0, 3}, new float[0])));
    }

    @Test
    void everyDtypeRoundTripsWithExactWidening() throws IOException {
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.write(file, everyDtype());
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(FLOATS, r.readFloats("f32"));
            assertArrayEquals(FLOATS, r.readFloats("f64"));
            // F16: 0.1 -> 0x2E66 = 0.0999755859375, pi -> 3.140625, 1e-8 underflows to 0.
            assertArrayEquals(new float[] {1.0f, -2.5f, 0.0999755859375f, 3.140625f, 0f, -0f, 65504f, 0f},
                    r.readFloats("f16"));
            // BF16: 0.1 -> 0.10009765625, pi -> 3.140625, 65504 -> 65536, 1e-8 -> 0x322C.
            assertArrayEquals(new float[] {1.0f, -2.5f, 0.10009765625f, 3.140625f, 0f, -0f, 65536f,
                    Float.intBitsToFloat(0x322C0000)}, r.readFloats("bf16"));
            assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, r.readLongs("i64"));
            assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, r.readInts("i32"));
            assertArrayEquals(new long[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, r.readLongs("i32"));
            assertArrayEquals(new int[] {-32768, 32767}, r.readInts("i16"));
            assertArrayEquals(new int[] {-128, 127}, r.readInts("i8"));
            assertArrayEquals(new int[] {0, 255}, r.readInts("u8"));
            assertArrayEquals(new int[] {1, 0}, r.readInts("bool"));
            assertArrayEquals(new float[] {42f}, r.readFloats("scalar"));
            assertEquals(0, r.readFloats("empty").length);
            assertEquals(DType.BF16, r.info("bf16").dtype());
            assertArrayEquals(new long[] {2, 4}, r.info("bf16").shape());
            assertEquals(8, r.info("bf16").numel());
            assertEquals(Map.of("format", "pt"), r.header().metadata());
            assertThrows(IllegalArgumentException.class, () -> r.readInts("i64"), "I64 values beyond int range");
            assertThrows(IllegalArgumentException.class, () -> r.readFloats("i32"));
            assertThrows(IllegalArgumentException.class, () -> r.readInts("f32"));
            assertThrows(java.util.NoSuchElementException.class, () -> r.info("nope"));
            Map<String, Tensor> again = new TreeMap<>();
            for (String n : r.names()) {
                again.put(n, r.readTensor(n));
            }
            assertEquals(everyDtype(), again);
        }
    }

    @Test
    void layoutMatchesThePythonLibrary() {
        byte[] bytes = SafetensorsWriter.toBytes(SafetensorsWriter.byName(List.of(
                Tensor.ofFloats("b", new long[] {1}, new float[] {2f}),
                Tensor.ofFloats("a", new long[] {2}, new float[] {1f, -1f}))));
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertEquals(json + " ".repeat((int) n - json.length()), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1f, data.getFloat());
        assertEquals(-1f, data.getFloat());
        assertEquals(2f, data.getFloat());
        assertEquals(bytes.length, 8 + n + 12);
    }

    @Test
    void outputIsDeterministic() throws IOException {
        byte[] first = SafetensorsWriter.toBytes(everyDtype());
        byte[] second = SafetensorsWriter.toBytes(new TreeMap<>(everyDtype()).descendingMap());
        assertArrayEquals(first, second);
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, everyDtype());
        assertArrayEquals(first, Files.readAllBytes(file));
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    @Test
    void customMetadataKeepsFormat() {
        byte[] bytes = SafetensorsWriter.toBytes(Map.of(), Map.of("job", "42"));
        SafetensorsHeader h = readHeader(bytes);
        assertEquals(Map.of("format", "pt", "job", "42"), h.metadata());
        assertTrue(h.tensors().isEmpty());
        assertEquals(bytes.length, h.expectedFileSize());
    }

    @Test
    void streamVariantConsumesOnlyTheHeader() throws IOException {
        byte[] bytes = SafetensorsWriter.toBytes(everyDtype());
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        SafetensorsHeader h = SafetensorsHeader.read(in, bytes.length, SafetensorsHeader.DEFAULT_MAX_HEADER_BYTES);
        assertEquals(bytes.length - h.dataStart(), in.available());
        assertEquals(h.dataLength(), in.available());
        // Unknown size: end checks deferred to the caller through expectedFileSize().
        SafetensorsHeader unknown = SafetensorsHeader.read(new ByteArrayInputStream(bytes), -1);
        assertEquals(bytes.length, unknown.expectedFileSize());
        assertEquals(List.copyOf(h.tensors().keySet()), List.copyOf(unknown.tensors().keySet()));
    }

    @Test
    void tensorValidationInFactories() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats("x", new long[] {3}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofInts("x", DType.U8, new long[] {1}, new int[] {256}));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats("x", DType.I32, new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("__metadata__", DType.U8, new long[] {0}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.toBytes(
                Map.of("y", Tensor.ofFloats("x", new long[] {1}, new float[1]))));
    }

    /**
     * A sparse file whose second tensor starts beyond 2 GiB: reading it must map at a 64-bit offset.
     * Costs no disk space on file systems with sparse files.
     */
    @Test
    void readsTensorsBeyondTwoGibibytes() throws IOException {
        long big = (1L << 31) + 4096;
        String json = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"small\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("huge.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            raf.write(header);
            long dataStart = 8 + header.length;
            raf.seek(dataStart + big);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-7f).array());
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1.5f, -7f}, r.readFloats("small"));
            assertThrows(IllegalArgumentException.class, () -> r.map("big"));
        } finally {
            Files.delete(file);
        }
    }

    private static SafetensorsHeader readHeader(byte[] bytes) {
        try {
            return SafetensorsHeader.read(new ByteArrayInputStream(bytes), bytes.length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
