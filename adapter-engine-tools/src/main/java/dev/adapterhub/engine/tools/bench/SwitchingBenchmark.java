package dev.adapterhub.engine.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.method.shira.ShiraMasks;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LoraAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (b): adapter switching cost on one square fp32 weight through the engine's own code paths:
 * SHiRA fused load + unload ({@link AdaptableLinear#fuseSparse} / {@code unfuseSparse}, bit-exact restore)
 * versus LoRA merge + unmerge ({@code merge} / {@code unmerge}). Reports medians and the LoRA/SHiRA ratio.
 *
 * <p>Run: {@code java -cp <classpath> dev.adapterhub.engine.tools.bench.SwitchingBenchmark --out DIR [--size 4096]
 * [--rank 16] [--reps 15]}.
 */
public final class SwitchingBenchmark {

    private SwitchingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        run(Path.of(a.getOrDefault("out", "target/bench")), Integer.parseInt(a.getOrDefault("size", "4096")),
                Integer.parseInt(a.getOrDefault("rank", "16")), Integer.parseInt(a.getOrDefault("reps", "15")));
    }

    public static Map<String, Object> run(Path out, int size, int rank, int reps) throws IOException {
        Devices.configureOffline();
        Devices.inferenceThread();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("size", size);
        results.put("rank", rank);
        results.put("reps", reps);
        results.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "?"));
        try (NDManager manager = Devices.newManager()) {
            NDArray w = manager.randomNormal(0, 0.02f, new Shape(size, size), DataType.FLOAT32);
            AdaptableLinear linear = new AdaptableLinear("bench", w);
            float[] original = w.toFloatArray();

            NDArray a = manager.randomNormal(0, 0.01f, new Shape(rank, size), DataType.FLOAT32);
            NDArray b = manager.randomNormal(0, 0.01f, new Shape(size, rank), DataType.FLOAT32);
            linear.attach("lora", LoraAdapter.create(manager, a, b, 2f * rank, false));
            double lora = median(reps, () -> {
                linear.merge("lora");
                linear.unmerge("lora");
            });
            linear.detach("lora").close();
            results.put("loraMergeUnmergeMs", lora);
            // merge + unmerge in fp32 is not exact; restore the weight before timing SHiRA.
            manager.create(original, new Shape(size, size)).copyTo(w);

            for (double fraction : new double[] {0.01, 0.02}) {
                int k = (int) Math.round(fraction * size * (double) size);
                NDArray idx = manager.create(ShiraMasks.random((long) size * size, k, 3));
                NDArray values = manager.randomNormal(0, 0.01f, new Shape(k), DataType.FLOAT32);
                double shira = median(reps, () -> {
                    linear.fuseSparse("shira", idx, values, 1f);
                    linear.unfuseSparse("shira");
                });
                boolean exact = Arrays.equals(original, w.toFloatArray());
                String key = String.format(Locale.ROOT, "shira%.0fpct", fraction * 100);
                results.put(key + "FuseUnfuseMs", shira);
                results.put(key + "BitExactRestore", exact);
                results.put(key + "SpeedupOverLora", lora / shira);
                System.out.printf(Locale.ROOT, "SHiRA %.0f%%: %.2f ms, LoRA r%d merge+unmerge: %.2f ms, ratio %.2f, exact %s%n",
                        fraction * 100, shira, rank, lora, lora / shira, exact);
            }
        }
        Files.createDirectories(out);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("switching.json").toFile(), results);
        return results;
    }

    private static double median(int reps, Runnable action) {
        for (int i = 0; i < 3; i++) {
            action.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            action.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
