package dev.adapterhub.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers for servers that must be told their port before they bind it. */
public final class Ports {

    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /** Returns {@code requested} when it is positive, otherwise a port that was free on the loopback interface a moment ago. */
    static int resolve(int requested) {
        return requested > 0 ? requested : free();
    }

    /** A port that was free on the loopback interface a moment ago. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK, e);
        }
    }

    /** Fails fast with a readable message instead of a bind error deep inside a server's startup. */
    static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (IOException e) {
            throw new IllegalStateException(what + " port " + port + " on " + LOOPBACK + " is already in use", e);
        }
    }
}
