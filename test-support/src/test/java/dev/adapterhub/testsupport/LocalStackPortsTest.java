package dev.adapterhub.testsupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LocalStackPortsTest {

    @Test
    void theLocalStacksPortsCannotBeBoundDuringTests() {
        LocalStackPorts.occupy();

        assertTrue(LocalStackPorts.defaults().contains(8081), "the training worker's port is among them");
        for (int port : LocalStackPorts.defaults()) {
            assertThrows(IOException.class, () -> {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
            }, "port " + port + " must be taken, as it is while the local stack runs");
        }
    }
}
