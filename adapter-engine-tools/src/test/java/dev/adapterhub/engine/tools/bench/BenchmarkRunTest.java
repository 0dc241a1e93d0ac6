package dev.adapterhub.engine.tools.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real benchmark runs (minutes), excluded from the default build. Options come from system properties
 * {@code bench.out}, {@code bench.steps}, {@code bench.seeds}, {@code bench.tasks}, {@code bench.methods},
 * {@code bench.pretrainSteps}, {@code bench.sweep} (true/false), {@code bench.size}, {@code bench.reps};
 * see BENCHMARKS.md.
 */
@Tag("benchmark")
class BenchmarkRunTest {

    private static Path out() {
        return Path.of(System.getProperty("bench.out", "target/bench"));
    }

    @Test
    void methodComparison() throws IOException {
        List<String> args = new ArrayList<>(List.of("--out", out().toString(),
                "--steps", System.getProperty("bench.steps", "300"),
                "--seeds", System.getProperty("bench.seeds", "3"),
                "--tasks", System.getProperty("bench.tasks", "NUM2WORDS,WORDS2NUM"),
                "--methods", System.getProperty("bench.methods", "full,lora,lora-ga,lora-sb,shira"),
                "--pretrain-steps", System.getProperty("bench.pretrainSteps", "1500")));
        if (!Boolean.parseBoolean(System.getProperty("bench.sweep", "true"))) {
            args.add("--no-sweep");
        }
        MethodComparison.main(args.toArray(String[]::new));
        assertTrue(Files.isRegularFile(out().resolve("results.md")));
    }

    @Test
    void switching() throws IOException {
        SwitchingBenchmark.main(new String[] {"--out", out().toString(),
            "--size", System.getProperty("bench.size", "4096"), "--rank", "16",
            "--reps", System.getProperty("bench.reps", "15")});
        assertTrue(Files.isRegularFile(out().resolve("switching.json")));
    }

    /** Trans-LoRA's ablation on the shipped bases; {@code bench.seeds} and {@code bench.tasks} apply. */
    @Test
    void transfer() throws IOException {
        TransferBenchmark.main(new String[] {"--out", out().resolve("transfer").toString(), "--models", "../models",
            "--seeds", System.getProperty("bench.seeds", "3"),
            "--tasks", System.getProperty("bench.tasks", "NUM2WORDS,WORDS2NUM,TOPIC")});
        assertTrue(Files.isRegularFile(out().resolve("transfer").resolve("results.md")));
    }
}
