package dev.adapterhub.engine.device;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class DevicesTest {

    @Test
    void configuresOfflinePyTorchAndPicksADevice() {
        Devices.configureOffline();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("PyTorch", Devices.engine().getEngineName());
        Device d = Devices.preferred();
        assertEquals(Devices.engine().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu(), d);
        try (NDManager m = Devices.newManager()) {
            assertNotNull(m.create(new float[] {1f, 2f}).sum());
            assertEquals(d, m.getDevice());
        }
    }
}
