package dev.adapterhub.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aPortIsHandedOutOnce() {
        // 500 random picks from ~12,800 ports would repeat one with a probability of 0.9999
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            ports.add(Ports.free());
        }
        assertEquals(500, ports.size());
    }
}
