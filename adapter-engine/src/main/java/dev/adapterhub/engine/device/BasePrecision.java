package dev.adapterhub.engine.device;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * The dtype a serving process holds a base model in, from its setting (the gateway's {@code runtime.dtype}):
 * {@code float32}, {@code float16}, or {@code auto}, which is F16 on a GPU and F32 on the CPU (vLLM's "auto" does the
 * same for F32 checkpoints: half the memory and the GPU's half-precision matmuls; a CPU's F16 matmuls are slower
 * than its F32 ones). Training chooses per job instead (hyperparameter {@code baseDtype}), since it changes results.
 *
 * <p>{@code bfloat16} is refused with a reason instead of tried: DJL 0.34's BF16 tensors abort the JVM on the CPU
 * (djl-notes), and whether they work on CUDA has not been measured yet (docs/gpu.md).
 */
public final class BasePrecision {

    private BasePrecision() {
    }

    /**
     * @param setting  auto, float32 or float16 (case-insensitive)
     * @param device   where the base is loaded
     * @param property the setting's name, for the error message
     * @throws IllegalArgumentException for any other value, with what is accepted and why bfloat16 is not
     */
    public static DataType resolve(String setting, Device device, String property) {
        String value = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            case "auto" -> device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
            case "bfloat16" -> throw new IllegalArgumentException(property + "=bfloat16 is not supported: DJL's "
                    + "BF16 tensors abort the JVM on the CPU and are unverified on CUDA; use float16 or auto");
            default -> throw new IllegalArgumentException(property + " must be auto, float32 or float16, got '"
                    + setting + "'");
        };
    }

    /** The setting's spelling of a dtype this class resolves to: {@code float32} or {@code float16}. */
    public static String name(DataType type) {
        return switch (type) {
            case FLOAT32 -> "float32";
            case FLOAT16 -> "float16";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }
}
