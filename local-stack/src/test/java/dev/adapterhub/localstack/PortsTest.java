package dev.adapterhub.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    @Test
    void aRequestedPortMustBeFreeAndAFreshOneIsBindable() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), 0));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Ports.claim(taken.getLocalPort(), "Kafka"));
            assertTrue(e.getMessage().contains("Kafka port " + taken.getLocalPort()), e.getMessage());
        }
        int fresh = Ports.claim(0, "Kafka");
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), fresh));
        }
    }
}
