package dev.adapterhub.formats.safetensors;

import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param name  the tensor name
 * @param dtype element type
 * @param shape dimensions, row-major (defensively copied; a rank-0 tensor has an empty shape)
 * @param begin byte offset of the data, relative to the start of the data section
 * @param end   exclusive end offset, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /** Number of elements (1 for a rank-0 tensor). */
    public long numel() {
        return numel(shape);
    }

    /** Number of data bytes ({@code end - begin}). */
    public long byteLength() {
        return end - begin;
    }

    /** True if the shape equals the given dimensions. */
    public boolean hasShape(long... dims) {
        return Arrays.equals(shape, dims);
    }

    /** Shape as "[a, b]" for messages. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Product of the dimensions, failing on overflow. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape)) * 31
                + Long.hashCode(begin) * 17 + Long.hashCode(end);
    }

    @Override
    public String toString() {
        return "TensorInfo[" + name + ", " + dtype + ", " + Arrays.toString(shape) + ", " + begin + ".." + end + "]";
    }
}
