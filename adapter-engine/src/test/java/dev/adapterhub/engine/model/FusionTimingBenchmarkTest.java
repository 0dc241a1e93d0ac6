package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.device.Devices;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** SHiRA fuse/unfuse vs LoRA merge/unmerge on one 4096x4096 F32 weight (run with -Dgroups=benchmark). */
@Tag("benchmark")
class FusionTimingBenchmarkTest {

    @Test
    void shiraFusionVersusLoraMerge() {
        int n = 4096;
        int rank = 16;
        try (NDManager m = Devices.newManager(Device.cpu())) {
            NDArray w = m.randomNormal(0f, 0.02f, new Shape(n, n), DataType.FLOAT32);
            AdaptableLinear l = new AdaptableLinear("bench", w);
            float[] before = w.toFloatArray();
            int k = rank * (n + n); // PEFT's K for r = 16: 0.78 % of the entries
            long[] idx = new Random(1).longs(0, (long) n * n).distinct().limit(k).toArray();
            NDArray flat = m.create(idx);
            NDArray values = m.randomNormal(0f, 0.01f, new Shape(k), DataType.FLOAT32);
            l.attach("lora", LoraAdapter.create(m, m.randomNormal(new Shape(rank, n)),
                    m.randomNormal(new Shape(n, rank)), 16f, false));
            for (int warm = 0; warm < 3; warm++) {
                l.fuseSparse("s", flat, values, 1f);
                l.unfuseSparse("s");
                l.merge("lora");
                l.unmerge("lora");
            }
            int reps = 10;
            long fuseNs = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long a = System.nanoTime();
                l.fuseSparse("s", flat, values, 1f);
                fuseNs += System.nanoTime() - a;
                l.unfuseSparse("s");
            }
            long t1 = System.nanoTime();
            System.out.printf("  of which fuse: %.2f ms%n", fuseNs / 1e6 / reps);
            for (int i = 0; i < reps; i++) {
                l.merge("lora");
                l.unmerge("lora");
            }
            long t2 = System.nanoTime();
            System.out.printf("SHiRA fuse+unfuse (K=%d, %.2f%%): %.2f ms; LoRA r=%d merge+unmerge: %.2f ms%n", k,
                    100.0 * k / ((double) n * n), (t1 - t0) / 1e6 / reps, rank, (t2 - t1) / 1e6 / reps);
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
}
