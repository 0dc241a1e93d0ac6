package dev.adapterhub.engine.tools.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's table: means over seeds with their spread, and the target checks on the means. */
class TransferReportTest {

    @Test
    void cellsShowTheMeanAndTheSpreadOverSeeds() {
        TransferBenchmark.Options options = TransferBenchmark.Options.parse(new String[] {"--seeds", "2",
            "--variants", "filtered,seeds-only,unfiltered"});
        List<TransferBenchmark.Run> runs = List.of(run(0, 0.9, 0.8), run(1, 0.7, 0.6));
        String md = TransferReport.markdown(options, runs);
        // source 0.9 and 0.7: mean 0.800, sample standard deviation 0.141
        assertTrue(md.contains("| NUM2WORDS | 0.800 ± 0.141 | 0.000 ± 0.000 | 0.700 ± 0.141 |"), md);
        assertTrue(md.contains("transferred ≥ source on average: **not met**"), md);
        assertTrue(md.contains("filtered > seeds only > unfiltered: **met**"), md);
    }

    private static TransferBenchmark.Run run(long seed, double source, double filtered) {
        return new TransferBenchmark.Run("NUM2WORDS", seed, source, 0.0, 0.0,
                Map.of("filtered", filtered, "seeds-only", 0.2, "unfiltered", 0.1), Map.of("filtered", 0.5),
                Map.of("filtered", 10), 0.9, 0.8, 10.0, Map.of("filtered", 20.0));
    }
}
