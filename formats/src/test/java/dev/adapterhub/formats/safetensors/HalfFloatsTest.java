package dev.adapterhub.formats.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    private static int f16(float f) {
        return HalfFloats.floatToF16(f) & 0xffff;
    }

    private static int bf16(float f) {
        return HalfFloats.floatToBf16(f) & 0xffff;
    }

    @Test
    void knownF16Values() {
        assertEquals(0x3C00, f16(1.0f));
        assertEquals(0xC000, f16(-2.0f));
        assertEquals(0x7BFF, f16(65504f));            // largest finite
        assertEquals(0x7C00, f16(65520f));            // tie between 65504 and 65536: rounds to even = infinity
        assertEquals(0x7BFF, f16(65519f));
        assertEquals(0x0001, f16(0x1p-24f));          // smallest subnormal
        assertEquals(0x0000, f16(0x1p-25f));          // tie to even: zero
        assertEquals(0x0001, f16(0x1.8p-25f));        // above the tie: rounds up
        assertEquals(0x0400, f16(0x1p-14f));          // smallest normal
        assertEquals(0x2E66, f16(0.1f));
        assertEquals(0x3C00, f16(1.0f + 0x1p-11f));   // tie: keeps even mantissa
        assertEquals(0x3C02, f16(1.0f + 0x3p-11f));   // tie: rounds up to even
        assertEquals(0x8000, f16(-0.0f));
        assertEquals(0xFC00, f16(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))));

        assertEquals(0.0999755859375f, HalfFloats.f16ToFloat((short) 0x2E66));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(-0x1.ff8p-15f, HalfFloats.f16ToFloat((short) 0x83FF)); // largest negative subnormal
    }

    @Test
    void everyF16RoundTripsAndTiesGoToEven() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0);
                continue;
            }
            assertEquals(h, f16(f), "round trip of 0x" + Integer.toHexString(h));
        }
        // Midpoints between neighbouring finite positive halves (exact in float) round to the even neighbour.
        for (int h = 0; h < 0x7BFF; h++) {
            float lo = HalfFloats.f16ToFloat((short) h);
            float hi = HalfFloats.f16ToFloat((short) (h + 1));
            float mid = (float) (((double) lo + hi) / 2);
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, f16(mid), "midpoint after 0x" + Integer.toHexString(h));
            assertEquals(h, f16(Math.nextDown(mid)));
            assertEquals(h + 1, f16(Math.nextUp(mid)));
            assertEquals(h | 0x8000, f16(-Math.nextDown(mid)));
        }
    }

    /** Reference values from numpy (an independent implementation of the same rounding). */
    @Test
    void f16NarrowingAgreesWithNumpy() throws Exception {
        int checked = 0;
        try (var in = getClass().getResourceAsStream("/f16-numpy.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.trim().split(" ");
                float f = Float.intBitsToFloat((int) Long.parseLong(p[0]));
                assertEquals(Integer.parseInt(p[1]), f16(f), "narrowing " + f);
                checked++;
            }
        }
        assertEquals(2000, checked);
    }

    @Test
    void bf16() {
        assertEquals(0x3F80, bf16(1.0f));
        assertEquals(0x3DCD, bf16(0.1f));             // 0x3DCCCCCD rounds up
        assertEquals(0.10009765625f, HalfFloats.bf16ToFloat((short) 0x3DCD));
        assertEquals(0x3F80, bf16(Float.intBitsToFloat(0x3F808000)));  // tie, even stays
        assertEquals(0x3F82, bf16(Float.intBitsToFloat(0x3F818000)));  // tie, rounds up to even
        assertEquals(0x7F80, bf16(Float.intBitsToFloat(0x7F7FFFFF)));  // max float rounds to infinity
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.bf16ToFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals(h, bf16(f));
            }
        }
    }
}
