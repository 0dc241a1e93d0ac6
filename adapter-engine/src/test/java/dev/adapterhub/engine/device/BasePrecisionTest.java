package dev.adapterhub.engine.device;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BasePrecisionTest {

    @Test
    void autoIsHalfOnAGpuAndSingleOnTheCpu() {
        assertEquals(DataType.FLOAT16, BasePrecision.resolve("auto", Device.gpu(0), "p"));
        assertEquals(DataType.FLOAT32, BasePrecision.resolve("auto", Device.cpu(), "p"));
    }

    @Test
    void explicitValuesHoldOnEveryDevice() {
        for (Device d : new Device[] {Device.cpu(), Device.gpu(0)}) {
            assertEquals(DataType.FLOAT32, BasePrecision.resolve("float32", d, "p"));
            assertEquals(DataType.FLOAT16, BasePrecision.resolve(" Float16 ", d, "p"));
        }
        assertEquals("float16", BasePrecision.name(DataType.FLOAT16));
        assertEquals("float32", BasePrecision.name(DataType.FLOAT32));
    }

    @Test
    void otherValuesAreRefusedWithTheSettingsNameAndTheReason() {
        IllegalArgumentException bf16 = assertThrows(IllegalArgumentException.class,
                () -> BasePrecision.resolve("bfloat16", Device.gpu(0), "adapterhub.gateway.runtime.dtype"));
        assertTrue(bf16.getMessage().startsWith("adapterhub.gateway.runtime.dtype=bfloat16 is not supported"),
                bf16.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> BasePrecision.resolve("fp16", Device.cpu(), "x.dtype"));
        assertEquals("x.dtype must be auto, float32 or float16, got 'fp16'", other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BasePrecision.resolve(null, Device.cpu(), "x"));
    }
}
