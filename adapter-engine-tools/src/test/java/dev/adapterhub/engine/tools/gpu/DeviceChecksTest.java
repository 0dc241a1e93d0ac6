package dev.adapterhub.engine.tools.gpu;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device-placement suite on the CPU, as CI runs it (the GPU run runs the same checks on cuda:0). BF16 is left
 * out: it aborts the JVM on the CPU.
 */
class DeviceChecksTest {

    @TempDir
    Path dir;

    @Test
    void everyCheckPassesOnTheCpu() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<DeviceChecks.Result> results = DeviceChecks.run(Device.cpu(), DeviceChecks.ALL, dir,
                new PrintStream(log, true));
        assertEquals(DeviceChecks.ALL, results.stream().map(DeviceChecks.Result::name).toList());
        for (DeviceChecks.Result r : results) {
            assertTrue(r.passed(), r.name() + ": " + r.detail() + "\n" + log);
        }
        // each method trained, resumed from its checkpoint to the same losses, and exported
        for (String m : DeviceChecks.METHODS) {
            String detail = results.get(DeviceChecks.ALL.indexOf(m)).detail();
            assertTrue(detail.contains("resume diff 0.0e+00"), m + ": " + detail);
        }
    }

    @Test
    void aGpuThatIsNotThereFailsTheEngineCheckWithAReason() {
        List<DeviceChecks.Result> results = DeviceChecks.run(Device.gpu(0), List.of("engine"), dir,
                new PrintStream(new ByteArrayOutputStream(), true));
        assertFalse(results.get(0).passed());
        assertTrue(results.get(0).detail().startsWith("no gpu(0)"), results.get(0).detail());
    }

    @Test
    void anUnknownCheckIsAFailureNotACrash() {
        List<DeviceChecks.Result> results = DeviceChecks.run(Device.cpu(), List.of("nope"), dir,
                new PrintStream(new ByteArrayOutputStream(), true));
        assertFalse(results.get(0).passed());
        assertTrue(results.get(0).detail().contains("unknown check: nope"), results.get(0).detail());
    }

    @Test
    void comparisonsSeeNaNAsADifference() {
        assertTrue(Double.isNaN(DeviceChecks.maxAbsDiff(new float[] {1f, Float.NaN}, new float[] {1f, 2f})));
        assertEquals(0.5, DeviceChecks.maxAbsDiff(new float[] {1f, 2f}, new float[] {1.5f, 2f}), 1e-9);
    }
}
