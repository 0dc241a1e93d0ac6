package dev.adapterhub.formats.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Element decoding/encoding shared by the reader, the writer and {@link Tensor}. Buffers are little-endian. */
final class Codec {

    private Codec() {
    }

    static void decodeFloats(ByteBuffer src, DType dtype, float[] dst, int off, int count, String name) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(dst, off, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = HalfFloats.f16ToFloat(b.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = HalfFloats.bf16ToFloat(b.getShort());
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = (float) b.getDouble();
                }
            }
            default -> throw new IllegalArgumentException("tensor \"" + name + "\" has dtype " + dtype
                    + ", expected a floating-point dtype (F32, F16, BF16 or F64)");
        }
    }

    static void decodeLongs(ByteBuffer src, DType dtype, long[] dst, int off, int count, String name) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.I64) {
            b.asLongBuffer().get(dst, off, count);
            return;
        }
        requireInteger(dtype, name);
        for (int i = 0; i < count; i++) {
            dst[off + i] = readInteger(b, dtype);
        }
    }

    static void decodeInts(ByteBuffer src, DType dtype, int[] dst, int off, int count, String name) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.I32) {
            b.asIntBuffer().get(dst, off, count);
            return;
        }
        requireInteger(dtype, name);
        for (int i = 0; i < count; i++) {
            long v = readInteger(b, dtype);
            if (v != (int) v) {
                throw new IllegalArgumentException("tensor \"" + name + "\" element " + (off + i)
                        + " = " + v + " does not fit in a 32-bit int");
            }
            dst[off + i] = (int) v;
        }
    }

    private static void requireInteger(DType dtype, String name) {
        if (!dtype.isInteger() && dtype != DType.BOOL) {
            throw new IllegalArgumentException("tensor \"" + name + "\" has dtype " + dtype
                    + ", expected an integer dtype");
        }
    }

    /** One little-endian element of an integer (or BOOL) dtype, widened; U8 and BOOL are unsigned. */
    private static long readInteger(ByteBuffer b, DType dtype) {
        return switch (dtype) {
            case I64 -> b.getLong();
            case I32 -> b.getInt();
            case I16 -> b.getShort();
            case I8 -> b.get();
            case U8, BOOL -> b.get() & 0xff;
            default -> throw new IllegalStateException("not an integer dtype: " + dtype);
        };
    }

    static byte[] encodeFloats(DType dtype, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().put(values);
            case F64 -> {
                for (float v : values) {
                    b.putDouble(v);
                }
            }
            case F16 -> {
                for (float v : values) {
                    b.putShort(HalfFloats.floatToF16(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    b.putShort(HalfFloats.floatToBf16(v));
                }
            }
            default -> throw new IllegalArgumentException("cannot encode floats as " + dtype);
        }
        return b.array();
    }

    static byte[] encodeLongs(DType dtype, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            switch (dtype) {
                case I64 -> b.putLong(v);
                case I32 -> b.putInt((int) checkRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE, dtype, i));
                case I16 -> b.putShort((short) checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, dtype, i));
                case I8 -> b.put((byte) checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, dtype, i));
                case U8 -> b.put((byte) checkRange(v, 0, 255, dtype, i));
                case BOOL -> b.put((byte) checkRange(v, 0, 1, dtype, i));
                default -> throw new IllegalArgumentException("cannot encode integers as " + dtype);
            }
        }
        return b.array();
    }

    private static long checkRange(long v, long min, long max, DType dtype, int index) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("element " + index + " = " + v + " does not fit in " + dtype);
        }
        return v;
    }
}
