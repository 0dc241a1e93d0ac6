package dev.adapterhub.testsupport;

import dev.adapterhub.localstack.KnownService;
import dev.adapterhub.localstack.Ports;
import dev.adapterhub.localstack.ServiceProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Platform services as child processes from their packaged jars, for the process-level (*ST) tests. The module
 * whose jar runs must be packaged first (a {@code pom}-type test dependency on it orders the reactor).
 */
public final class ServiceProcesses {

    private ServiceProcesses() {
    }

    /**
     * Starts a worker named {@code name} against {@code stack} with fast heartbeats, one libtorch thread and its own
     * cache, and a transfer kit of {@code kitRealInputs} inputs and {@code kitSteps} steps; returns once it is ready.
     */
    public static ServiceProcess worker(RegistryStack stack, String name, int kitRealInputs, int kitSteps)
            throws Exception {
        Path home = Files.createDirectories(stack.dataDir().resolve(name));
        Map<String, String> environment = new LinkedHashMap<>(stack.environment(TestKeys.WORKER));
        environment.put("ADAPTERHUB_WORKER_WORKER_ID", name);
        environment.put("ADAPTERHUB_WORKER_HEARTBEAT_INTERVAL", "PT1S");
        environment.put("ADAPTERHUB_WORKER_PROGRESS_INTERVAL", "PT0.5S");
        environment.put("ADAPTERHUB_WORKER_SESSION_TIMEOUT", "PT6S");
        environment.put("ADAPTERHUB_WORKER_RUNTIME_THREADS", "1");
        environment.put("ADAPTERHUB_WORKER_TRANSFER_KIT_MAX_REAL_INPUTS", String.valueOf(kitRealInputs));
        environment.put("ADAPTERHUB_WORKER_TRANSFER_KIT_STEPS", String.valueOf(kitSteps));
        environment.put("ADAPTERHUB_WORKER_RUNTIME_CACHE_DIR", home.resolve("cache").toString());
        environment.put("ADAPTERHUB_WORKER_RUNTIME_WORK_DIR", home.resolve("work").toString());
        KnownService service = new KnownService(name, "training-worker", Ports.free(), "");
        ServiceProcess worker = ServiceProcess.start(service, ServiceJars.runnerJar("training-worker"), environment,
                stack.dataDir());
        worker.awaitReady(Duration.ofSeconds(90));
        return worker;
    }

    /** Starts a transfer service against {@code stack} on a free port; returns once it is ready. */
    public static ServiceProcess transferService(RegistryStack stack) throws Exception {
        KnownService service = new KnownService("transfer-service", "transfer-service", Ports.free(),
                "/api/v1/transfers");
        ServiceProcess transfers = ServiceProcess.start(service, ServiceJars.runnerJar("transfer-service"),
                new LinkedHashMap<>(stack.environment(TestKeys.TRANSFER)), stack.dataDir());
        transfers.awaitReady(Duration.ofSeconds(90));
        return transfers;
    }

    /** Starts a serving gateway against {@code stack} on a free port with its own adapter cache; returns when ready. */
    public static ServiceProcess gateway(RegistryStack stack) throws Exception {
        return gateway(stack, Map.of());
    }

    /** The same with gateway settings of the caller's (environment variables, e.g. a smaller admission limit). */
    public static ServiceProcess gateway(RegistryStack stack, Map<String, String> settings) throws Exception {
        Path home = Files.createDirectories(stack.dataDir().resolve("serving-gateway"));
        Map<String, String> environment = new LinkedHashMap<>(stack.environment(TestKeys.GATEWAY));
        environment.put("ADAPTERHUB_GATEWAY_CACHE_DIR", home.resolve("cache").toString());
        environment.putAll(settings);
        KnownService service = new KnownService("serving-gateway", "serving-gateway", Ports.free(), "/v1");
        ServiceProcess gateway = ServiceProcess.start(service, ServiceJars.runnerJar("serving-gateway"), environment,
                stack.dataDir());
        gateway.awaitReady(Duration.ofSeconds(90));
        return gateway;
    }
}
