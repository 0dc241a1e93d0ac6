package dev.adapterhub.reliability.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.reliability.support.Figures;
import dev.adapterhub.reliability.support.Seed;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's read path and the gateway's model list under concurrent load (issue 13), against the packaged
 * services as processes with the load generator on the same machine. Prints a table and writes
 * {@code target/benchmarks/registry-load.{json,md}}; asserts only that every answer was a 200 and that an alias
 * move is visible to the very next read (no cache may serve a stale alias), never a speed.
 *
 * <p>{@code ./mvnw -B verify -pl reliability -am -Dit.test=RegistryLoadST -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest.excludedGroups=none}
 */
@Tag("benchmark")
class RegistryLoadST {

    private static final int ADAPTERS = 40;
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("load.warmup-seconds", 10));
    private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("load.seconds", 20));

    private record Case(String name, String service, String path, int connections, double targetRps,
                        double targetP99Ms) {
    }

    @Test
    void readsScaleWithConcurrency() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "load");
        try (RegistryStack stack = RegistryStack.start()) {
            ServiceProcess gateway = ServiceProcesses.gateway(stack);
            try {
                Seed seed = Seed.start(stack, dir);
                for (int i = 0; i < ADAPTERS; i++) {
                    seed.adapterWithVersion(String.format(Locale.ROOT, "load-%02d", i));
                }
                String adapter = "load-07";
                List<Case> cases = List.of(
                        new Case("GET /api/v1/adapters/{name}", "registry", "/api/v1/adapters/" + adapter, 16,
                                2000, 50),
                        new Case("GET /api/v1/adapters/{name}", "registry", "/api/v1/adapters/" + adapter, 1, 0, 0),
                        new Case("GET /api/v1/resolve/{name}@production", "registry",
                                "/api/v1/resolve/" + adapter + "@production", 16, 2000, 50),
                        new Case("GET /api/v1/adapters?team=… (page of 20)", "registry",
                                "/api/v1/adapters?team=" + Seed.TEAM, 16, 500, 0),
                        new Case("gateway GET /v1/models", "gateway", "/v1/models", 16, 1000, 0));
                URI registry = URI.create(stack.registryBaseUrl());
                URI gatewayUri = URI.create(gateway.service().baseUrl());
                Map<String, String> headers = Map.of("Authorization", "Bearer " + seed.teamKey());
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Case c : cases) {
                    URI uri = c.service().equals("gateway") ? gatewayUri : registry;
                    LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Target(c.name(), uri.getHost(),
                            uri.getPort(), c.path(), headers), c.connections(), WARMUP, MEASURED);
                    System.out.println("[load] " + result.line());
                    assertEquals(0, result.failures(), result.line());
                    assertTrue(result.requests() > 0, result.line());
                    rows.add(row(c, result));
                }
                aliasMovesAreVisibleToTheNextRead(seed, adapter, registry);
                write(rows);
            } finally {
                gateway.stop();
            }
        }
    }

    /** The read path has no cache: a moved alias is what the next resolve answers. */
    private static void aliasMovesAreVisibleToTheNextRead(Seed seed, String adapter, URI registry) {
        seed.uploadVersion(adapter);
        for (int round = 0; round < 20; round++) {
            int target = round % 2 == 0 ? 2 : 1;
            seed.team().sendJson("PUT", "/adapters/" + adapter + "/aliases/production", Map.of("version", target));
            JsonNode resolved = seed.team().getJson("/resolve/" + adapter + "@production");
            assertEquals(target, resolved.path("version").asInt(), "resolve right after the move, round " + round);
            JsonNode listed = seed.team().getJson("/adapters/" + adapter);
            assertEquals(target, listed.path("aliases").path("production").asInt());
        }
    }

    private static Map<String, Object> row(Case c, LoadGenerator.Result result) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("request", c.name());
        row.put("connections", c.connections());
        row.put("requestsPerSecond", Math.round(result.requestsPerSecond()));
        row.put("p50Ms", round(result.p50Ms()));
        row.put("p90Ms", round(result.p90Ms()));
        row.put("p99Ms", round(result.p99Ms()));
        row.put("maxMs", round(result.maxMs()));
        row.put("requests", result.requests());
        String target = target(c);
        row.put("target", target);
        if (!target.isEmpty()) {
            boolean met = result.requestsPerSecond() >= c.targetRps()
                    && (c.targetP99Ms() == 0 || result.p99Ms() < c.targetP99Ms());
            row.put("met", met);
        }
        return row;
    }

    private static String target(Case c) {
        if (c.targetRps() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "≥ %.0f req/s%s", c.targetRps(),
                c.targetP99Ms() == 0 ? "" : String.format(Locale.ROOT, ", p99 < %.0f ms", c.targetP99Ms()));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void write(List<Map<String, Object>> rows) throws Exception {
        Path out = Files.createDirectories(Path.of("target", "benchmarks"));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("benchmark", "registry-load");
        document.put("date", Instant.now().toString());
        document.put("machine", Figures.machine());
        document.put("warmupSeconds", WARMUP.toSeconds());
        document.put("measuredSeconds", MEASURED.toSeconds());
        document.put("results", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("registry-load.json").toFile(), document);
        StringBuilder table = new StringBuilder("| request | connections | req/s | p50 ms | p99 ms | target | met |\n"
                + "|---|---:|---:|---:|---:|---|---|\n");
        for (Map<String, Object> row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", row.get("request"),
                    row.get("connections"), row.get("requestsPerSecond"), row.get("p50Ms"), row.get("p99Ms"),
                    row.get("target"), row.containsKey("met") ? ((Boolean) row.get("met") ? "met" : "not met") : ""));
        }
        Files.writeString(out.resolve("registry-load.md"), "Machine: " + Figures.machine() + "\n\n" + table);
        System.out.println("[load] results in " + out.toAbsolutePath().resolve("registry-load.json"));
        System.out.print(table);
    }
}
