package dev.adapterhub.testsupport;

import dev.adapterhub.localstack.KnownService;
import dev.adapterhub.localstack.LocalBackends;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the ports of the local stack (README command 1) for the whole test JVM, so that every test run behaves as
 * if the platform were running beside it: a test or a service under test that binds a fixed port (for example
 * Quarkus' default test port 8081, which the local training worker uses) fails every time, not only on a
 * developer's machine. A port that is already taken (the local stack is really running) is simply left alone.
 */
public final class LocalStackPorts {

    private static final List<ServerSocket> HELD = new ArrayList<>();
    private static boolean occupied;

    private LocalStackPorts() {
    }

    /** The ports the launcher binds by default: the three backends and every known service. */
    public static List<Integer> defaults() {
        LocalBackends.PortSettings backends = LocalBackends.PortSettings.DEFAULTS;
        List<Integer> ports = new ArrayList<>(List.of(backends.postgres(), backends.kafka(), backends.s3()));
        KnownService.ALL.forEach(service -> ports.add(service.port()));
        return List.copyOf(ports);
    }

    /** Binds every free default port on all interfaces until the JVM exits; idempotent. */
    public static synchronized void occupy() {
        if (occupied) {
            return;
        }
        occupied = true;
        for (int port : defaults()) {
            ServerSocket socket = null;
            try {
                socket = new ServerSocket();
                socket.bind(new InetSocketAddress(port));
                HELD.add(socket);
            } catch (IOException alreadyTaken) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was bound
        }
    }
}
