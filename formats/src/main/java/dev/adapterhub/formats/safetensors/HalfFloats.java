package dev.adapterhub.formats.safetensors;

/**
 * Conversions between {@code float} and the 16-bit formats IEEE binary16 (F16) and bfloat16 (BF16).
 *
 * <p>Widening is exact. Narrowing rounds to nearest, ties to even (as PyTorch's {@code .to(torch.float16)} and
 * {@code .to(torch.bfloat16)} do); values too large for F16 become infinity, NaN stays NaN. Java 17 has no
 * {@code Float.float16ToFloat}, hence this class.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** Widens the F16 bit pattern {@code bits} (low 16 bits used) to a float, exactly. */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24 is exact in float.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Narrows a float to the F16 bit pattern, rounding to nearest even. */
    public static short floatToF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000;
            int shift = 14 - e;
            int m = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rem > half || (rem == half && (m & 1) != 0)) {
                m++; // a carry into bit 10 correctly yields the smallest normal number
            }
            return (short) (sign | m);
        }
        int out = sign | (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (out & 1) != 0)) {
            out++; // a carry into the exponent correctly rounds up to the next binade or to infinity
        }
        return (short) out;
    }

    /** Widens the BF16 bit pattern to a float, exactly. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Narrows a float to the BF16 bit pattern, rounding to nearest even. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN, sign kept
        }
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
