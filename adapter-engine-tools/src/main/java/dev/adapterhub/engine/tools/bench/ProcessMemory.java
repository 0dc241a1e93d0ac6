package dev.adapterhub.engine.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this process from /proc (Linux), which covers libtorch's native allocations that
 * the JVM cannot see. The peak can be reset between runs by writing 5 to /proc/self/clear_refs.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resets VmHWM to the current RSS; false where the kernel refuses. */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** VmHWM in MiB, or -1 when unavailable. */
    public static double peakMiB() {
        return field("VmHWM:");
    }

    /** VmRSS in MiB, or -1 when unavailable. */
    public static double currentMiB() {
        return field("VmRSS:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
