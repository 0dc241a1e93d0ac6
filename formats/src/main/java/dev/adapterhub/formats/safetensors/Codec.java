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
        switch (dtype) {
            case I64 -> b.asLongBuffer().get(dst, off, count);
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.getInt();
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.getShort();
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.get();
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.get() & 0xff;
                }
            }
            default -> throw new IllegalArgumentException("tensor \"" + name + "\" has dtype " + dtype
                    + ", expected an integer dtype");
        }
    }

    static void decodeInts(ByteBuffer src, DType dtype, int[] dst, int off, int count, String name) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case I32 -> b.asIntBuffer().get(dst, off, count);
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    long v = b.getLong();
                    if (v != (int) v) {
                        throw new IllegalArgumentException("tensor \"" + name + "\" element " + (off + i)
                                + " = " + v + " does not fit in a 32-bit int");
                    }
                    dst[off + i] = (int) v;
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.getShort();
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.get();
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = b.get() & 0xff;
                }
            }
            default -> throw new IllegalArgumentException("tensor \"" + name + "\" has dtype " + dtype
                    + ", expected an integer dtype (I32 or I64)");
        }
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
