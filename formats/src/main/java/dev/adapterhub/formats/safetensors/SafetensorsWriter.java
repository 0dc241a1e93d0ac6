package dev.adapterhub.formats.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files the way the Python library does: {@code "__metadata__"} first (by default
 * {@code {"format": "pt"}}, which PyTorch-side loaders expect), tensors in sorted name order with contiguous
 * offsets, compact JSON padded with spaces to a multiple of 8 bytes. Equal inputs give identical bytes.
 */
public final class SafetensorsWriter {

    /** The metadata written when the caller gives none. */
    public static final Map<String, String> DEFAULT_METADATA = Map.of("format", "pt");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} (keys must equal the tensor names) with the default metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, DEFAULT_METADATA);
    }

    /**
     * Writes a file atomically (to a temporary sibling, then renamed) so readers never see a partial file.
     *
     * @param metadata the {@code __metadata__} entries; {@code "format": "pt"} is added unless given
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            write(out, tensors, metadata);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes to a stream (not closed). */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        List<Tensor> sorted = sortedTensors(tensors);
        byte[] header = header(sorted, metadata);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (Tensor t : sorted) {
            out.write(t.data());
        }
    }

    /** The complete file as bytes, default metadata. */
    public static byte[] toBytes(Map<String, Tensor> tensors) {
        return toBytes(tensors, DEFAULT_METADATA);
    }

    /** The complete file as bytes. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Convenience: a name-keyed map from a collection of tensors (duplicate names are rejected). */
    public static Map<String, Tensor> byName(Collection<Tensor> tensors) {
        Map<String, Tensor> map = new TreeMap<>();
        for (Tensor t : tensors) {
            if (map.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor name \"" + t.name() + "\"");
            }
        }
        return map;
    }

    private static List<Tensor> sortedTensors(Map<String, Tensor> tensors) {
        List<Tensor> sorted = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!e.getKey().equals(e.getValue().name())) {
                throw new IllegalArgumentException("map key \"" + e.getKey() + "\" differs from tensor name \""
                        + e.getValue().name() + "\"");
            }
            sorted.add(e.getValue());
        }
        sorted.sort(Comparator.comparing(Tensor::name));
        return sorted;
    }

    private static byte[] header(List<Tensor> sorted, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        Map<String, String> meta = new TreeMap<>(metadata);
        meta.putIfAbsent("format", "pt");
        ObjectNode metaNode = root.putObject(SafetensorsHeader.METADATA_KEY);
        meta.forEach(metaNode::put);
        long offset = 0;
        for (Tensor t : sorted) {
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", t.dtype().headerName());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = entry.putArray("data_offsets");
            offsets.add(offset);
            offset += t.data().length;
            offsets.add(offset);
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise safetensors header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }
}
