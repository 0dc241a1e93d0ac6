package dev.adapterhub.engine.tools.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real serving benchmark (width 2048; several minutes on 2 cores). Run with
 * {@code -Dtest.excludedGroups=none -Dgroups=benchmark -Dtest=ServingBenchmarkRunTest}; writes
 * adapter-engine/benchmarks/serving/serving-benchmark.{json,md}.
 */
@Tag("benchmark")
class ServingBenchmarkRunTest {

    @TempDir
    Path work;

    @Test
    void realisticRun() throws Exception {
        ServingBenchmark.Report r = ServingBenchmark.run(ServingBenchmark.Settings.realistic(), work,
                Path.of("../adapter-engine/benchmarks/serving"), System.out); // the results live with the engine
        assertTrue(r.mixes().stream().allMatch(m -> m.tokensPerSecond() > 0));
    }
}
