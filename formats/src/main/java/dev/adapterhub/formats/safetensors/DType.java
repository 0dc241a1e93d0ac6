package dev.adapterhub.formats.safetensors;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The tensor element types this platform reads and writes, spelled as in the safetensors header. */
public enum DType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for F64, F32, F16 and BF16. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** True for the signed and unsigned integer types (not BOOL). */
    public boolean isInteger() {
        return !floatingPoint && this != BOOL;
    }

    /** The string used in safetensors headers (identical to the constant name). */
    public String headerName() {
        return name();
    }

    /**
     * Parses a safetensors dtype string.
     *
     * @throws InvalidSafetensorsException if the string is not one of the supported types
     */
    public static DType parse(String s) {
        for (DType d : values()) {
            if (d.name().equals(s)) {
                return d;
            }
        }
        throw new InvalidSafetensorsException("unsupported dtype \"" + s + "\"; supported: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
