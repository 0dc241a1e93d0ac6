package dev.adapterhub.engine.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serving benchmark end to end at toy size (the real run is {@link ServingBenchmarkRunTest}). */
class ServingBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void smokeRunMeasuresEveryMixAndWritesResults() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServingBenchmark.Settings s = ServingBenchmark.Settings.smoke();
        ServingBenchmark.Report r = ServingBenchmark.run(s, dir.resolve("work"), dir.resolve("out"),
                new PrintStream(out, true));
        assertEquals(1 + s.adapterCounts().size(), r.mixes().size());
        for (ServingBenchmark.Mix m : r.mixes()) {
            assertEquals((long) s.requests() * s.maxTokens(), m.generatedTokens(), "every request ran to length");
            assertTrue(m.tokensPerSecond() > 0 && m.tokensPerCpuSecond() > 0 && m.cpuSeconds() > 0);
        }
        assertEquals(0, r.mixes().get(1).mixedDecodeSteps(), "one adapter never needs the gather path");
        assertTrue(r.mixes().get(3).mixedDecodeSteps() > 0, "8 adapters batch together");
        assertTrue(r.shiraSwitchMillis() > 0 && r.loraMergeMillis() > 0 && r.coldLoadMedianMillis() > 0);
        assertTrue(r.ratios().containsKey("8_adapters_vs_1_adapter"));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/serving-benchmark.json").toFile());
        assertEquals(r.mixes().get(2).tokensPerSecond(), json.path("mixes").get(2).path("tokensPerSecond")
                .asDouble(), 1e-9);
        String md = Files.readString(dir.resolve("out/serving-benchmark.md"));
        assertTrue(md.contains("| 8 distinct LoRAs |"), md);
        assertTrue(out.toString().contains("tokens/s"));

        // the latency part: every level ran its requests; timings are real and ordered
        assertEquals(s.latencyConcurrency(), r.latency().stream().map(LatencyBenchmark.Level::concurrency).toList());
        for (LatencyBenchmark.Level l : r.latency()) {
            assertEquals(Math.max(s.latencyRequests(), l.concurrency()), l.requests());
            assertTrue(l.ttftP50Ms() > 0 && l.ttftP99Ms() >= l.ttftP50Ms(), l.toString());
            assertTrue(l.tpotP50Ms() > 0 && l.tpotP99Ms() >= l.tpotP50Ms(), l.toString());
            assertTrue(l.tokensPerSecond() > 0 && l.requestsPerSecond() > 0, l.toString());
        }
        assertTrue(md.contains("| concurrent requests |") && md.contains("| 4 | 8 |"), md);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        assertEquals(50, LatencyBenchmark.percentile(v, 0.5));
        assertEquals(99, LatencyBenchmark.percentile(v, 0.99));
        assertEquals(7, LatencyBenchmark.percentile(new double[] {7}, 0.99));
        assertTrue(Double.isNaN(LatencyBenchmark.percentile(new double[0], 0.5)));
    }
}
