package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.tools.bench.SwitchSweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** {@code bench-switch}: SHiRA vs LoRA weight switch over widths (see {@link SwitchSweep}). */
final class BenchSwitchCommand {

    private BenchSwitchCommand() {
    }

    static void run(CliOptions o) throws Exception {
        var widths = BenchServingCommand.integers(o.text("widths", "512,2048,4096"));
        int rank = o.integer("rank", 16);
        int repeats = o.integer("repeats", 5);
        Path out = Path.of(o.text("out", "adapter-engine/benchmarks/switch"));
        o.requireAllUsed();
        Path work = Files.createTempDirectory("bench-switch");
        try {
            SwitchSweep.run(widths, rank, repeats, work, out, System.out);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
