package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.device.Devices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * SHiRA fuse+unfuse vs LoRA merge+unmerge on one n×n F32 weight at the same parameter budget (K = r·(n + n), PEFT's
 * default for r = 16), on the CPU; issue 12's target is SHiRA ≥ 3× faster at n = 2048 and 4096. Run with
 * {@code -Dgroups=benchmark -Dtest.excludedGroups=none}; prints each width and writes
 * {@code target/benchmarks/fusion-timing.md}. Asserts only that fusing never drifts the weight.
 */
@Tag("benchmark")
class FusionTimingBenchmarkTest {

    private static final int RANK = 16;
    private static final StringBuilder TABLE = new StringBuilder("| n | K (share) | SHiRA fuse+unfuse ms | "
            + "of which fuse ms | LoRA r16 merge+unmerge ms | SHiRA speed-up |\n|---:|---:|---:|---:|---:|---:|\n");

    @ParameterizedTest
    @ValueSource(ints = {64, 512, 2048, 4096})
    void shiraFusionVersusLoraMerge(int n) {
        try (NDManager m = Devices.newManager(Device.cpu())) {
            NDArray w = m.randomNormal(0f, 0.02f, new Shape(n, n), DataType.FLOAT32);
            AdaptableLinear l = new AdaptableLinear("bench", w);
            float[] before = w.toFloatArray();
            int k = RANK * (n + n);
            long[] idx = new Random(1).longs(0, (long) n * n).distinct().limit(k).toArray();
            NDArray flat = m.create(idx);
            NDArray values = m.randomNormal(0f, 0.01f, new Shape(k), DataType.FLOAT32);
            l.attach("lora", LoraAdapter.create(m, m.randomNormal(new Shape(RANK, n)),
                    m.randomNormal(new Shape(n, RANK)), 16f, false));
            for (int warm = 0; warm < 3; warm++) {
                l.fuseSparse("s", flat, values, 1f);
                l.unfuseSparse("s");
                l.merge("lora");
                l.unmerge("lora");
            }
            int reps = n <= 512 ? 200 : 10;
            long fuseNs = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long a = System.nanoTime();
                l.fuseSparse("s", flat, values, 1f);
                fuseNs += System.nanoTime() - a;
                l.unfuseSparse("s");
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                l.merge("lora");
                l.unmerge("lora");
            }
            long t2 = System.nanoTime();
            double shira = (t1 - t0) / 1e6 / reps;
            double lora = (t2 - t1) / 1e6 / reps;
            String row = String.format("| %d | %d (%.2f %%) | %.3f | %.3f | %.3f | %.2f× |", n, k,
                    Math.min(100.0, 100.0 * k / ((double) n * n)), shira, fuseNs / 1e6 / reps, lora, lora / shira);
            System.out.println(row);
            TABLE.append(row).append('\n');
            l.detach("lora").close();
            // fusing never drifts: after all the fuse/unfuse cycles W is what it was (LoRA cycles excluded)
            NDArray fresh = m.create(before, new Shape(n, n));
            AdaptableLinear l2 = new AdaptableLinear("check", fresh);
            for (int i = 0; i < 5; i++) {
                l2.fuseSparse("s", flat, values, 1f);
                l2.unfuseSparse("s");
            }
            assertArrayEquals(before, fresh.toFloatArray(), 0f);
        }
    }

    @AfterAll
    static void write() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "benchmarks")).resolve("fusion-timing.md");
        Files.writeString(out, "SHiRA fuse+unfuse vs LoRA merge+unmerge, CPU, "
                + Runtime.getRuntime().availableProcessors() + " cores, libtorch threads "
                + System.getProperty("ai.djl.pytorch.num_threads", "default") + "\n\n" + TABLE);
        System.out.println("written " + out.toAbsolutePath());
    }
}
