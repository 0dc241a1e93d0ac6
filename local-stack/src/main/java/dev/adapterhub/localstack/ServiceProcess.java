package dev.adapterhub.localstack;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child {@code java -jar quarkus-run.jar} process in prod mode, configured only through
 * environment variables, with its console output appended to a log file.
 */
public final class ServiceProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final KnownService service;
    private final Process process;
    private final Path logFile;
    private final long startedNanos;

    private ServiceProcess(KnownService service, Process process, Path logFile, long startedNanos) {
        this.service = service;
        this.process = process;
        this.logFile = logFile;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts {@code jar} with exactly {@code environment} (plus the port) and returns at once; call
     * {@link #awaitReady(Duration)} before using it. Console output goes to {@code <dataDir>/logs/<name>.log}.
     */
    public static ServiceProcess start(KnownService service, Path jar, Map<String, String> environment, Path dataDir)
            throws IOException {
        Ports.requireFree(service.port(), service.name() + " HTTP");
        Path logFile = dataDir.resolve("logs").resolve(service.name() + ".log");
        Path workDir = dataDir.resolve("services").resolve(service.name());
        Files.createDirectories(logFile.getParent());
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Inherited QUARKUS_* / ADAPTERHUB_* variables would silently change what the summary promises.
        builder.environment().keySet().removeIf(key -> key.startsWith("QUARKUS_") || key.startsWith("ADAPTERHUB_")
                || key.startsWith("KAFKA_"));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(service.port()));
        return new ServiceProcess(service, builder.start(), logFile, System.nanoTime());
    }

    /** Polls {@code /q/health/ready} until it answers 200; fails early if the process exits. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastAnswer = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with status " + process.exitValue()
                        + " before it was ready; see " + logFile);
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (ConnectException notListeningYet) {
                lastAnswer = "not listening yet";
            } catch (IOException e) {
                lastAnswer = e.toString();
            }
            // The child is a separate process; waiting on its exit doubles as the poll interval.
            process.waitFor(500, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(service.name() + " was not ready within " + timeout.toSeconds() + " s ("
                + lastAnswer + "); see " + logFile);
    }

    public long millisSinceStart() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Asks the service to stop (SIGTERM), then kills it if it has not stopped within the grace period. */
    public String stop() {
        if (!process.isAlive()) {
            return service.name() + " had already exited (status " + process.exitValue() + ")";
        }
        process.destroy();
        try {
            if (process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                return service.name() + " stopped";
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return service.name() + " did not stop within " + STOP_GRACE.toSeconds() + " s and was killed";
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return service.name() + " killed (interrupted while waiting for it to stop)";
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would: no shutdown hooks run. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public KnownService service() {
        return service;
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }
}
