package dev.adapterhub.formats.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads tensors from a safetensors file through memory mapping.
 *
 * <p>The header is validated on {@link #open}. Each read maps only the bytes of one tensor, in windows of at most
 * 1 GiB, so files (and tensors) larger than 2 GiB work. F16 and BF16 are widened to F32 here, in Java, because
 * DJL's PyTorch engine cannot take BF16 data. Not thread-safe for {@link #close()} racing with reads; concurrent
 * reads are fine.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** Mapping window; a multiple of every element size. */
    private static final long WINDOW = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    /**
     * Opens and validates a file.
     *
     * @throws InvalidSafetensorsException if the file is not valid safetensors
     * @throws IOException                 if it cannot be read
     */
    public static SafetensorsReader open(Path file) throws IOException {
        SafetensorsHeader header = SafetensorsHeader.read(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        if (channel.size() != header.expectedFileSize()) {
            channel.close();
            throw new InvalidSafetensorsException("file " + file.getFileName() + " changed while being opened");
        }
        return new SafetensorsReader(file, channel, header);
    }

    /** The validated header. */
    public SafetensorsHeader header() {
        return header;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return header.tensors().keySet();
    }

    /** All tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    /** True if the file has a tensor with this name. */
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /**
     * The header entry of a tensor.
     *
     * @throws NoSuchElementException if absent
     */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new NoSuchElementException("no tensor named \"" + name + "\" in " + file.getFileName());
        }
        return info;
    }

    /**
     * Elements of a floating-point tensor as F32: F16 and BF16 are widened exactly, F64 is rounded.
     *
     * @throws IllegalArgumentException if the dtype is not floating point or the tensor has more than
     *                                  {@code Integer.MAX_VALUE - 8} elements
     */
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = info(name);
        float[] out = new float[elementCount(info)];
        forEachWindow(info, (buf, first, count) -> Codec.decodeFloats(buf, info.dtype(), out, first, count, name));
        return out;
    }

    /** Elements of an integer tensor (I32 or I64, also I16/I8/U8/BOOL); I64 values must fit in an int. */
    public int[] readInts(String name) throws IOException {
        TensorInfo info = info(name);
        int[] out = new int[elementCount(info)];
        forEachWindow(info, (buf, first, count) -> Codec.decodeInts(buf, info.dtype(), out, first, count, name));
        return out;
    }

    /** Elements of an integer tensor as longs. */
    public long[] readLongs(String name) throws IOException {
        TensorInfo info = info(name);
        long[] out = new long[elementCount(info)];
        forEachWindow(info, (buf, first, count) -> Codec.decodeLongs(buf, info.dtype(), out, first, count, name));
        return out;
    }

    /** Raw little-endian bytes of a tensor smaller than 2 GiB. */
    public byte[] readBytes(String name) throws IOException {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor \"" + name + "\" is too large for a byte array");
        }
        byte[] out = new byte[(int) info.byteLength()];
        forEachWindow(info, (buf, first, count) ->
                buf.duplicate().get(out, first * info.dtype().byteSize(), count * info.dtype().byteSize()));
        return out;
    }

    /** The tensor as an in-memory {@link Tensor} (smaller than 2 GiB). */
    public Tensor readTensor(String name) throws IOException {
        TensorInfo info = info(name);
        return new Tensor(name, info.dtype(), info.shape(), readBytes(name));
    }

    /**
     * A read-only little-endian mapped view of a tensor smaller than 2 GiB, for callers that copy the data
     * straight into native memory.
     */
    public ByteBuffer map(String name) throws IOException {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor \"" + name + "\" is larger than 2 GiB; read it in parts");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + info.begin(), info.byteLength())
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int elementCount(TensorInfo info) {
        long n = info.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor \"" + info.name() + "\" has " + n
                    + " elements, too many for one Java array");
        }
        return (int) n;
    }

    private interface WindowConsumer {
        void accept(ByteBuffer buffer, int firstElement, int elementCount);
    }

    private void forEachWindow(TensorInfo info, WindowConsumer consumer) throws IOException {
        int size = info.dtype().byteSize();
        long position = header.dataStart() + info.begin();
        long remaining = info.byteLength();
        int firstElement = 0;
        while (remaining > 0) {
            long len = Math.min(remaining, WINDOW);
            ByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, position, len)
                    .order(ByteOrder.LITTLE_ENDIAN);
            int count = (int) (len / size);
            consumer.accept(window, firstElement, count);
            firstElement += count;
            position += len;
            remaining -= len;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
