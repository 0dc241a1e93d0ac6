package dev.adapterhub.formats.safetensors;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An in-memory tensor to be written with {@link SafetensorsWriter}.
 *
 * @param name  tensor name
 * @param dtype element type
 * @param shape dimensions (defensively copied)
 * @param data  raw little-endian row-major bytes, exactly {@code numel * dtype.byteSize()} long (not copied:
 *              callers hand over ownership)
 */
public record Tensor(String name, DType dtype, long[] shape, byte[] data) {

    public Tensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        if (SafetensorsHeader.METADATA_KEY.equals(name)) {
            throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
        }
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in shape "
                        + Arrays.toString(shape));
            }
        }
        long expected = Math.multiplyExact(TensorInfo.numel(shape), (long) dtype.byteSize());
        if (data.length != expected) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + data.length + " data bytes but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** F32 tensor from floats. */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        return ofFloats(name, DType.F32, shape, values);
    }

    /**
     * Floating-point tensor of the given dtype; F16 and BF16 are narrowed with round-to-nearest-even, F64 is
     * widened exactly.
     */
    public static Tensor ofFloats(String name, DType dtype, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        return new Tensor(name, dtype, shape, Codec.encodeFloats(dtype, values));
    }

    /** I32 tensor from ints. */
    public static Tensor ofInts(String name, long[] shape, int[] values) {
        return ofInts(name, DType.I32, shape, values);
    }

    /** Integer tensor of the given dtype (I64, I32, I16, I8, U8, BOOL); out-of-range values are rejected. */
    public static Tensor ofInts(String name, DType dtype, long[] shape, int[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return ofLongs(name, dtype, shape, longs);
    }

    /** Integer tensor of the given dtype from longs; out-of-range values are rejected. */
    public static Tensor ofLongs(String name, DType dtype, long[] shape, long[] values) {
        checkCount(name, shape, values.length);
        return new Tensor(name, dtype, shape, Codec.encodeLongs(dtype, values));
    }

    private static void checkCount(String name, long[] shape, int count) {
        if (TensorInfo.numel(shape) != count) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + count + " values for shape "
                    + Arrays.toString(shape));
        }
    }

    /** Number of elements. */
    public long numel() {
        return TensorInfo.numel(shape);
    }

    /** Elements as floats (floating-point dtypes; F16/BF16 widened exactly). */
    public float[] toFloats() {
        float[] out = new float[Math.toIntExact(numel())];
        Codec.decodeFloats(ByteBuffer.wrap(data), dtype, out, 0, out.length, name);
        return out;
    }

    /** Elements as ints (integer dtypes; I64 values must fit in an int). */
    public int[] toInts() {
        int[] out = new int[Math.toIntExact(numel())];
        Codec.decodeInts(ByteBuffer.wrap(data), dtype, out, 0, out.length, name);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape)) * 31
                + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }
}
