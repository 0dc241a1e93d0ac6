package dev.adapterhub.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers for servers that must be told their port before they bind it. */
public final class Ports {

    public static final String LOOPBACK = "127.0.0.1";

    private static final int BELOW_EPHEMERAL_FROM = 20000;
    private static final int BELOW_EPHEMERAL_TO = 32768;

    /**
     * Ports this JVM handed out, never handed out again: backends start in parallel and each asks for ports before
     * binding them, so two could be given the same one; and a stopped server's port may still be held by a process
     * it leaves behind for a moment (seen in CI: "Kafka port ... already in use" on a restart).
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * The port a server is about to bind: {@code requested} when positive (it must be free: a clear error now beats
     * a bind error deep inside the server's start), otherwise a fresh port that is still free when checked again
     * right before use. A fresh port found taken at that second check is replaced, up to 10 times: CI saw "Kafka port
     * ... already in use" twice on a fresh port, taken between the two checks by something outside our control.
     */
    static int claim(int requested, String what) {
        if (requested > 0) {
            requireFree(requested, what);
            return requested;
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = free();
            if (bindable(port)) {
                return port;
            }
            System.err.println("[local-stack] " + what + " port " + port + " was taken right after it was found "
                    + "free; picking another");
        }
        throw new IllegalStateException("no free port for " + what + " on " + LOOPBACK + " after 10 attempts");
    }

    /**
     * A port that was free on the loopback interface a moment ago, from below Linux's ephemeral range
     * (32768-60999): a port the OS hands out for {@code bind(0)} can be taken for an outgoing connection's local
     * end before the server that asked for it binds it (seen in CI as "Kafka port ... already in use").
     */
    public static int free() {
        for (int i = 0; i < 200; i++) {
            int port = ThreadLocalRandom.current().nextInt(BELOW_EPHEMERAL_FROM, BELOW_EPHEMERAL_TO);
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK, e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return true;
        } catch (IOException e) {
            return false;
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
