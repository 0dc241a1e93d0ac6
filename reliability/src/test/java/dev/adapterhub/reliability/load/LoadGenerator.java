package dev.adapterhub.reliability.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A closed-loop HTTP/1.1 load generator in the manner of wrk: {@code connections} keep-alive connections, each
 * sending its next request as soon as the previous answer has been read, first for a warm-up (not counted), then
 * for the measured time. Plain sockets and a minimal response parser keep its own cost per request small, since it
 * shares the machine with what it measures. It needs nothing but a JDK, so the benchmark runs wherever the build
 * does.
 */
public final class LoadGenerator {

    /**
     * What one run measured; latencies in milliseconds, over every answer and over the 2xx ones alone
     * ({@code okP99Ms}); {@code retryAfter} counts answers that carried a {@code Retry-After} header.
     */
    public record Result(String name, int connections, double seconds, long requests, long failures,
                         double requestsPerSecond, double p50Ms, double p90Ms, double p99Ms, double maxMs,
                         Map<Integer, Long> statuses, double okP50Ms, double okP99Ms, long retryAfter) {

        public String line() {
            return String.format(Locale.ROOT, "%-40s %3d conn  %8.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %7.2f ms"
                            + "  max %7.1f ms  failures %d  statuses %s", name, connections, requestsPerSecond, p50Ms,
                    p90Ms, p99Ms, maxMs, failures, statuses);
        }
    }

    /** One target: {@code method} on {@code path} with these headers and (for a POST) a JSON body. */
    public record Target(String name, String host, int port, String method, String path, Map<String, String> headers,
                         String body) {

        /** A GET. */
        public Target(String name, String host, int port, String path, Map<String, String> headers) {
            this(name, host, port, "GET", path, headers, null);
        }

        byte[] request() {
            StringBuilder text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append(':').append(port).append("\r\n");
            headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                text.append("Content-Type: application/json\r\nContent-Length: ").append(content.length)
                        .append("\r\n");
            }
            byte[] head = text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(head, head.length + content.length);
            System.arraycopy(content, 0, request, head.length, content.length);
            return request;
        }
    }

    private LoadGenerator() {
    }

    public static Result run(Target target, int connections, Duration warmup, Duration measured)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long until = measureFrom + measured.toNanos();
        List<Connection> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Connection worker = new Connection(target, measureFrom, until);
            workers.add(worker);
            Thread thread = new Thread(worker, "load-" + target.name() + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = workers.stream().flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.count)).sorted().toArray();
        long[] ok = workers.stream().flatMapToLong(w -> Arrays.stream(w.okLatencies, 0, w.okCount)).sorted()
                .toArray();
        long retryAfter = workers.stream().mapToLong(w -> w.retryAfter).sum();
        long failures = workers.stream().mapToLong(w -> w.failures).sum();
        Map<Integer, Long> statuses = new TreeMap<>();
        workers.forEach(w -> w.statuses.forEach((status, n) -> statuses.merge(status, n, Long::sum)));
        double seconds = measured.toNanos() / 1e9;
        return new Result(target.name(), connections, seconds, all.length, failures, all.length / seconds,
                percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), percentile(all, 1.0), statuses,
                percentile(ok, 0.50), percentile(ok, 0.99), retryAfter);
    }

    static double percentile(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }

    /** One keep-alive connection's loop; reconnects after an error or a {@code Connection: close}. */
    private static final class Connection implements Runnable {

        private final Target target;
        private final byte[] request;
        private final long measureFrom;
        private final long until;
        private final Map<Integer, Long> statuses = new TreeMap<>();
        private long[] latencies = new long[1 << 14];
        private int count;
        private long[] okLatencies = new long[1 << 14];
        private int okCount;
        private long failures;
        private long retryAfter;

        Connection(Target target, long measureFrom, long until) {
            this.target = target;
            this.request = target.request();
            this.measureFrom = measureFrom;
            this.until = until;
        }

        @Override
        public void run() {
            while (System.nanoTime() < until) {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(new InetSocketAddress(target.host(), target.port()), 5_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    boolean open = true;
                    while (open && System.nanoTime() < until) {
                        long sent = System.nanoTime();
                        out.write(request);
                        out.flush();
                        Response response = Response.read(in);
                        long done = System.nanoTime();
                        open = !response.close();
                        if (sent >= measureFrom) {
                            record(response.status(), done - sent);
                            retryAfter += response.retryAfter() ? 1 : 0;
                        }
                    }
                } catch (IOException e) {
                    if (System.nanoTime() >= measureFrom) {
                        failures++;
                    }
                }
            }
        }

        private void record(int status, long nanos) {
            statuses.merge(status, 1L, Long::sum);
            if (status >= 400) {
                failures++;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
            if (status < 300) {
                if (okCount == okLatencies.length) {
                    okLatencies = Arrays.copyOf(okLatencies, okCount * 2);
                }
                okLatencies[okCount++] = nanos;
            }
        }
    }

    /** The parts of an HTTP/1.1 response the loop needs; the body is read and dropped. */
    record Response(int status, boolean close, boolean retryAfter) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("Not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            boolean retryAfter = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "retry-after" -> retryAfter = true;
                    default -> {
                        // not needed
                    }
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16); size > 0;
                     size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16)) {
                    skip(in, size);
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(in, length);
            } else {
                close = true;
            }
            return new Response(status, close, retryAfter);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            int previous = -1;
            for (int b = in.read(); ; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("Connection closed mid-response");
                }
                if (previous == '\r' && b == '\n') {
                    byte[] text = bytes.toByteArray();
                    return new String(text, 0, text.length - 1, StandardCharsets.ISO_8859_1);
                }
                bytes.write(b);
                previous = b;
            }
        }

        private static void skip(InputStream in, long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("Connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }
    }
}
