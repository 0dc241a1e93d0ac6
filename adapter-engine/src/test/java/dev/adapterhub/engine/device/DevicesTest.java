package dev.adapterhub.engine.device;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DevicesTest {

    @Test
    void configuresOfflinePyTorchAndPicksADevice() {
        Devices.configureOffline();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("PyTorch", Devices.engine().getEngineName());
        Device d = Devices.preferred();
        assertEquals(Devices.engine().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu(), d);
        try (NDManager m = Devices.newManager()) {
            assertEquals(d, m.getDevice());
            NDArray sum = m.create(new float[] {1f, 2f}).sum();
            assertEquals(d, sum.getDevice(), "computed on the manager's device");
            assertEquals(3f, sum.getFloat(), 0f);
        }
    }
}
