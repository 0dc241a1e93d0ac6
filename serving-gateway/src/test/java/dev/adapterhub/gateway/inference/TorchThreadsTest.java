package dev.adapterhub.gateway.inference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TorchThreadsTest {

    @Test
    void zeroLeavesOneCoreToTheHttpSide() {
        assertEquals(1, ServingEngineBackend.torchThreads(0, 1));
        assertEquals(1, ServingEngineBackend.torchThreads(0, 2));
        assertEquals(15, ServingEngineBackend.torchThreads(0, 16));
    }

    @Test
    void aSettingIsTakenAsItIs() {
        assertEquals(4, ServingEngineBackend.torchThreads(4, 2));
        assertEquals(1, ServingEngineBackend.torchThreads(1, 16));
    }
}
