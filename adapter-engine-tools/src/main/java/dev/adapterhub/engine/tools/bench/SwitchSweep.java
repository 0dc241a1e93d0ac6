package dev.adapterhub.engine.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.serve.SwitchCost;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LlamaConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SHiRA fuse + restore against LoRA merge + restore through the serving engine's own switcher, on a one-layer
 * random Llama of each width (hidden = intermediate = width) with every projection targeted and the same parameter
 * budget (SHiRA K = r·(in+out) per module). The target: SHiRA at least 3× faster at 2048 and 4096.
 * {@code adapter-engine-cli bench-switch}; writes {@code switch-sweep.json} and {@code .md}.
 */
public final class SwitchSweep {

    /** One width's medians; {@code speedUp} = LoRA / SHiRA (above 1: SHiRA is faster). */
    public record Width(int width, int targetedModules, long parameters, double shiraMillis, double loraMillis,
                        double speedUp) {
    }

    public record Report(String device, int rank, int repeats, List<Width> widths) {
    }

    private static final List<String> TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
            "up_proj", "down_proj");

    private SwitchSweep() {
    }

    public static Report run(List<Integer> widths, int rank, int repeats, Path work, Path outDir, PrintStream log)
            throws IOException {
        Devices.configureOffline();
        List<Width> rows = new ArrayList<>();
        for (int w : widths) {
            int heads = Math.max(1, w / 128);
            TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(1, w, w, heads, heads, 259).withSeed(w);
            LlamaConfig config = spec.config();
            Path lora = RandomAdapters.lora(config, work.resolve("lora-" + w), TARGETS, rank, rank, 1, "sweep");
            Path shira = RandomAdapters.shira(config, work.resolve("shira-" + w), TARGETS, rank, 0.01f, 2, "sweep");
            try (LlamaModel model = ServingBenchmark.randomModel(spec)) {
                SwitchCost.Millis ms = SwitchCost.measure(model, lora, shira, repeats);
                Width row = new Width(w, TARGETS.size(), ServingBenchmark.budget(config, TARGETS, rank),
                        ms.shiraFuseRestore(), ms.loraMergeRestore(), ms.loraMergeRestore() / ms.shiraFuseRestore());
                log.printf(Locale.ROOT, "width %d on %s: SHiRA fuse+restore %.2f ms, LoRA merge+restore %.2f ms: "
                        + "SHiRA %.2fx as fast%n", w, model.manager().getDevice(), row.shiraMillis(),
                        row.loraMillis(), row.speedUp());
                rows.add(row);
            }
        }
        Report r = new Report(Devices.preferred().toString(), rank, repeats, rows);
        Files.createDirectories(outDir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(outDir.resolve("switch-sweep.json").toFile(), r);
        Files.writeString(outDir.resolve("switch-sweep.md"), markdown(r));
        return r;
    }

    static String markdown(Report r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Whole-layer weight switch on %s (one layer,"
                + " all 7 projections, rank %d budget, median of %d):%n%n| width | SHiRA fuse+restore ms "
                + "| LoRA merge+restore ms | SHiRA speed-up | target >= 3x |%n|---:|---:|---:|---:|---|%n", r.device(),
                r.rank(), r.repeats()));
        for (Width w : r.widths()) {
            b.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2fx | %s |%n", w.width(), w.shiraMillis(),
                    w.loraMillis(), w.speedUp(), w.width() >= 2048 ? (w.speedUp() >= 3 ? "met" : "NOT met") : "-"));
        }
        return b.toString();
    }
}
