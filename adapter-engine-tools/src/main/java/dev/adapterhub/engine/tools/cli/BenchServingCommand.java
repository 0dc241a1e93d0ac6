package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.tools.bench.ServingBenchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code bench-serving}: the multi-adapter serving benchmark (see {@link ServingBenchmark}). */
final class BenchServingCommand {

    private BenchServingCommand() {
    }

    /** "1,16,64" -> [1, 16, 64]; "" -> []. */
    static List<Integer> integers(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf)
                .toList();
    }

    private static boolean halfPrecision(String dtype) {
        return switch (dtype.toUpperCase(java.util.Locale.ROOT)) {
            case "F32" -> false;
            case "F16" -> true;
            default -> throw new IllegalArgumentException("--dtype must be F32 or F16, got " + dtype);
        };
    }

    static void run(CliOptions o) throws Exception {
        ServingBenchmark.Settings d = ServingBenchmark.Settings.realistic();
        ServingBenchmark.Settings s = new ServingBenchmark.Settings(
                o.integer("layers", d.layers()), o.integer("hidden", d.hidden()),
                o.integer("intermediate", d.intermediate()), o.integer("heads", d.heads()),
                o.integer("kv-heads", d.kvHeads()), o.integer("vocab", d.vocab()), o.integer("rank", d.rank()),
                List.of(o.text("targets", String.join(",", d.targets())).split(",")),
                integers(o.text("adapters", "1,8,64,512")),
                o.integer("requests", d.requests()), o.integer("prompt-tokens", d.promptTokens()),
                o.integer("max-tokens", d.maxTokens()), o.integer("batch", d.batchRows()),
                o.integer("prefill-rows", d.prefillRows()), o.integer("switch-repeats", d.switchRepeats()),
                o.integer("rounds", d.rounds()),
                o.integer("seed", (int) d.seed()),
                integers(o.text("latency", "")), o.integer("latency-requests", d.latencyRequests()),
                o.integer("latency-max-tokens", d.latencyMaxTokens()), halfPrecision(o.text("dtype", "F32")),
                o.compiledForward("compiled"));
        Path out = Path.of(o.text("out", "adapter-engine/benchmarks/serving"));
        o.requireAllUsed();
        Path work = Files.createTempDirectory("bench-serving");
        try {
            ServingBenchmark.run(s, work, out, System.out);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
