package dev.adapterhub.engine.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.checkpoint.HfConfigJson;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.serve.EngineStats;
import dev.adapterhub.engine.serve.RequestHandle;
import dev.adapterhub.engine.serve.ServeRequest;
import dev.adapterhub.engine.serve.ServingEngine;
import dev.adapterhub.engine.serve.ServingSettings;
import dev.adapterhub.engine.serve.SwitchCost;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.RandomWeights;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.peft.PeftKeys;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The serving benchmark ({@code adapter-engine-cli bench-serving}): on a random-weight Llama of the given width,
 * measures in one run (1) generated tokens/s of the continuous-batching engine with the base model alone and with
 * request mixes over 1, 8, 64 and 512 distinct LoRAs (all loaded), (2) SHiRA switch (fuse + restore) vs LoRA
 * merge + restore on the same model and the same parameter budget, (3) cold adapter load latency (PEFT files on
 * disk to ready to serve). Prints the numbers and writes {@code serving-benchmark.json} and
 * {@code serving-benchmark.md} to the output directory.
 */
public final class ServingBenchmark {

    /**
     * @param layers, hidden, intermediate, heads, kvHeads, vocab the random model
     * @param rank           LoRA rank (SHiRA gets K = rank·(in+out) per module: the same parameter count)
     * @param targets        projection short names the adapters target
     * @param adapterCounts  distinct adapters per request mix (0 is always run first: the base model alone)
     * @param requests       requests per mix
     * @param promptTokens   prompt length
     * @param maxTokens      tokens generated per request
     * @param batchRows      running batch rows
     * @param prefillRows    requests admitted per step
     * @param switchRepeats  repetitions of each weight switch
     * @param rounds         every mix is measured this many times, interleaved (base, 1, 8, ..., base, 1, ...);
     *                       the best round counts (other processes on a shared machine only ever slow a round down)
     * @param seed           weights and prompts
     * @param latencyConcurrency concurrency levels of the latency part (empty: none), requests with one LoRA
     * @param latencyRequests requests per latency level
     * @param latencyMaxTokens tokens generated per latency request
     * @param halfPrecision  base weights in F16 (as served on a GPU) instead of F32
     * @param compiledSteps  prefill and decode steps as one compiled TorchScript call each (the engine's default)
     */
    public record Settings(int layers, int hidden, int intermediate, int heads, int kvHeads, int vocab, int rank,
                           List<String> targets, List<Integer> adapterCounts, int requests, int promptTokens,
                           int maxTokens, int batchRows, int prefillRows, int switchRepeats, int rounds, long seed,
                           List<Integer> latencyConcurrency, int latencyRequests, int latencyMaxTokens,
                           boolean halfPrecision, boolean compiledSteps) {

        /** The real run: TinyLlama-1.1B width (2048 / 5632, 16/4 heads), one layer so it fits 10 minutes on 2 cores. */
        public static Settings realistic() {
            return new Settings(1, 2048, 5632, 16, 4, 259, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"),
                    List.of(1, 8, 64, 512), 512, 8, 8, 64, 16, 5, 2, 0, List.of(), 64, 32, false, true);
        }

        /** Seconds-long smoke size. */
        public static Settings smoke() {
            return new Settings(1, 64, 128, 4, 2, 259, 4, List.of("q_proj", "v_proj"), List.of(1, 4, 8), 16, 4, 4,
                    8, 4, 2, 2, 0, List.of(1, 4), 8, 6, false, true);
        }

        int maxAdapters() {
            return adapterCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    /**
     * One request mix. {@code tokensPerCpuSecond} divides by the CPU time of the scheduler thread (with
     * {@code num_threads=1} every op runs on it), which other processes on a shared machine barely disturb; the
     * ratios use it. {@code tokensPerSecond} is wall-clock.
     */
    public record Mix(int adapters, int requests, long generatedTokens, double seconds, double tokensPerSecond,
                      double cpuSeconds, double tokensPerCpuSecond, long decodeSteps, long mixedDecodeSteps,
                      List<Double> roundTokensPerCpuSecond) {

        Mix withRounds(List<Double> rounds) {
            return new Mix(adapters, requests, generatedTokens, seconds, tokensPerSecond, cpuSeconds,
                    tokensPerCpuSecond, decodeSteps, mixedDecodeSteps, rounds);
        }
    }

    /** Everything measured. */
    public record Report(Settings settings, String startedAt, int availableProcessors, String numThreads,
                         double loadAverage, List<Mix> mixes, Map<String, Double> ratios,
                         double shiraSwitchMillis, double loraMergeMillis, double shiraVsLoraSwitch,
                         double coldLoadMedianMillis, double coldLoadP90Millis, double coldShiraLoadMillis,
                         long loraParametersPerAdapter, long shiraParametersPerAdapter, Map<String, String> targets,
                         List<LatencyBenchmark.Level> latency) {
    }

    /** base_model_name_or_path of the random adapters. */
    private static final String BASE_MODEL_NAME = "bench-random";

    private ServingBenchmark() {
    }

    public static Report run(Settings s, Path workDir, Path outDir, PrintStream log) throws IOException {
        Devices.configureOffline();
        String started = Instant.now().toString();
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(s.layers(), s.hidden(), s.intermediate(), s.heads(),
                s.kvHeads(), s.vocab()).withSeed(s.seed());
        log.printf("model: %d layers, hidden %d, intermediate %d, heads %d/%d, vocab %d%n", s.layers(), s.hidden(),
                s.intermediate(), s.heads(), s.kvHeads(), s.vocab());
        LlamaConfig config = spec.config();
        try (LlamaModel model = randomModel(spec, s.halfPrecision() ? DataType.FLOAT16 : DataType.FLOAT32)) {
            int n = s.maxAdapters();
            List<Path> loraDirs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                loraDirs.add(RandomAdapters.lora(config, workDir.resolve("lora-" + i), s.targets(), s.rank(), s.rank(),
                        s.seed() + 1000 + i, BASE_MODEL_NAME));
            }
            Path shiraDir = RandomAdapters.shira(config, workDir.resolve("shira"), s.targets(), s.rank(), 0.01f,
                    s.seed() + 7, BASE_MODEL_NAME);
            // LoRA r·(in+out) per module; SHiRA K = r·(in+out) entries per module: the same budget
            long loraParams = budget(config, s.targets(), s.rank());
            long shiraParams = loraParams;
            log.printf("wrote %d LoRA adapters (rank %d, %d parameters each) and a SHiRA (%d parameters)%n", n,
                    s.rank(), loraParams, shiraParams);

            double[] switches = switchTimes(model, loraDirs.isEmpty() ? null : loraDirs.get(0), shiraDir, s, log);

            ServingSettings serving = ServingSettings.defaults().withMaxBatchRows(s.batchRows())
                    .withMaxPrefillRows(s.prefillRows()).withMaxQueuedRequests(Math.max(s.requests(), 1))
                    .withMaxNewTokens(Math.max(Math.max(s.maxTokens(), s.latencyMaxTokens()), 1))
                    .withCompiledSteps(s.compiledSteps());
            List<Mix> mixes = new ArrayList<>();
            double[] loads = new double[n];
            double shiraLoad;
            List<LatencyBenchmark.Level> latency;
            try (ServingEngine engine = ServingEngine.start(model, null, serving)) {
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    engine.loadAdapter("lora-" + i, loraDirs.get(i));
                    loads[i] = (System.nanoTime() - t0) / 1e6;
                }
                long t0 = System.nanoTime();
                engine.loadAdapter("shira", shiraDir);
                shiraLoad = (System.nanoTime() - t0) / 1e6;
                engine.unloadAdapter("shira");
                Arrays.sort(loads);
                log.printf("cold load (files -> ready): median %.1f ms, p90 %.1f ms over %d LoRAs; SHiRA %.1f ms%n",
                        percentile(loads, 0.5), percentile(loads, 0.9), n, shiraLoad);
                // warm-up: allocator, kernels, JIT
                mix(engine, s, 0, Math.min(s.requests(), s.batchRows()), s.seed() + 99);
                List<Integer> counts = new ArrayList<>();
                counts.add(0);
                counts.addAll(s.adapterCounts());
                Map<Integer, List<Mix>> rounds = new LinkedHashMap<>();
                for (int round = 0; round < s.rounds(); round++) {
                    for (int count : counts) {
                        Mix m = mix(engine, s, count, s.requests(), s.seed() + round);
                        rounds.computeIfAbsent(count, c -> new ArrayList<>()).add(m);
                        log.printf("round %d %-12s %6d tokens: wall %7.2f s = %7.1f tokens/s; scheduler CPU %7.2f s "
                                        + "= %7.1f tokens/CPU-s (%d decode steps, %d with >1 adapter)%n", round + 1,
                                count == 0 ? "base" : count + " adapters", m.generatedTokens(), m.seconds(),
                                m.tokensPerSecond(), m.cpuSeconds(), m.tokensPerCpuSecond(), m.decodeSteps(),
                                m.mixedDecodeSteps());
                    }
                }
                for (List<Mix> ms : rounds.values()) {
                    Mix best = ms.stream().max(java.util.Comparator.comparingDouble(Mix::tokensPerCpuSecond))
                            .orElseThrow();
                    mixes.add(best.withRounds(ms.stream().map(Mix::tokensPerCpuSecond).toList()));
                }
                latency = s.latencyConcurrency().isEmpty() ? List.of() : LatencyBenchmark.run(engine,
                        s.latencyConcurrency(), s.latencyRequests(), s.promptTokens(), s.latencyMaxTokens(),
                        s.vocab(), n > 0 ? "lora-0" : null, s.seed() + 500, log);
            }
            Map<String, Double> ratios = new LinkedHashMap<>();
            double base = mixes.get(0).tokensPerCpuSecond();
            double one = mixes.stream().filter(m -> m.adapters() == 1).mapToDouble(Mix::tokensPerCpuSecond)
                    .findFirst().orElse(Double.NaN);
            for (Mix m : mixes.subList(1, mixes.size())) {
                ratios.put(m.adapters() + "_adapters_vs_base", m.tokensPerCpuSecond() / base);
                ratios.put(m.adapters() + "_adapters_vs_1_adapter", m.tokensPerCpuSecond() / one);
                ratios.put(m.adapters() + "_adapters_overhead_vs_base", base / m.tokensPerCpuSecond() - 1);
                ratios.put(m.adapters() + "_adapters_vs_base_wall", m.tokensPerSecond()
                        / mixes.get(0).tokensPerSecond());
            }
            Report r = new Report(s, started, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("ai.djl.pytorch.num_threads"), loadAverage(), mixes, ratios,
                    switches[0], switches[1], switches[0] / switches[1], percentile(loads, 0.5),
                    percentile(loads, 0.9), shiraLoad, loraParams, shiraParams, targets(one, base, ratios), latency);
            write(r, outDir, log);
            return r;
        }
    }

    private static Map<String, String> targets(double one, double base, Map<String, Double> ratios) {
        Map<String, String> t = new LinkedHashMap<>();
        Double r64 = ratios.get("64_adapters_vs_1_adapter");
        if (r64 != null) {
            t.put("64 adapters >= 90% of 1-adapter throughput", String.format("%.1f%% -> %s", 100 * r64,
                    r64 >= 0.9 ? "met" : "NOT met"));
        }
        if (!Double.isNaN(one)) {
            double overhead = base / one - 1;
            t.put("LoRA overhead <= 25% vs base", String.format("%.1f%% -> %s", 100 * overhead,
                    overhead <= 0.25 ? "met" : "NOT met"));
        }
        return t;
    }

    private static Mix mix(ServingEngine engine, Settings s, int adapters, int requests, long seed) {
        EngineStats before = engine.stats();
        Random rnd = new Random(seed);
        List<RequestHandle> handles = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            int[] prompt = new int[s.promptTokens()];
            for (int t = 0; t < prompt.length; t++) {
                prompt[t] = 3 + rnd.nextInt(s.vocab() - 3);
            }
            ServeRequest r = ServeRequest.tokens(prompt).withMaxTokens(s.maxTokens())
                    .withAdapter(adapters == 0 ? null : "lora-" + (i % adapters));
            handles.add(engine.submit(r, null));
        }
        long tokens = 0;
        for (RequestHandle h : handles) {
            try {
                tokens += h.result().get(1, TimeUnit.HOURS).completionTokens();
            } catch (Exception e) {
                throw new IllegalStateException("benchmark request failed", e);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        EngineStats after = engine.stats();
        double cpu = (after.schedulerCpuMillis() - before.schedulerCpuMillis()) / 1e3;
        return new Mix(adapters, requests, tokens, seconds, tokens / seconds, cpu, tokens / cpu, after.decodeSteps()
                - before.decodeSteps(), after.mixedDecodeSteps() - before.mixedDecodeSteps(), List.of());
    }

    /** Median ms of SHiRA fuse+restore and of LoRA merge+restore through the engine's own switcher. */
    private static double[] switchTimes(LlamaModel model, Path loraDir, Path shiraDir, Settings s, PrintStream log) {
        SwitchCost.Millis ms = SwitchCost.measure(model, loraDir, shiraDir, s.switchRepeats());
        double a = ms.shiraFuseRestore();
        double b = ms.loraMergeRestore();
        log.printf("switch: SHiRA fuse+restore %.2f ms, LoRA merge+restore %.2f ms (ratio %.3f)%n", a, b, a / b);
        return new double[] {a, b};
    }

    static LlamaModel randomModel(TinyLlamaSpec spec) throws IOException {
        return randomModel(spec, DataType.FLOAT32);
    }

    static LlamaModel randomModel(TinyLlamaSpec spec, DataType type) throws IOException {
        LlamaDims dims = HfConfigJson.dims(spec.config());
        NDManager manager = Devices.newManager();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Map.Entry<String, RandomWeights.Weight> e : RandomWeights.generate(spec).entrySet()) {
            NDArray w = manager.create(e.getValue().values(), new Shape(e.getValue().shape()));
            if (type != DataType.FLOAT32) {
                NDArray half = w.toType(type, false);
                w.close();
                w = half;
            }
            weights.put(e.getKey(), w);
        }
        return LlamaModel.fromWeights(dims, manager, weights);
    }

    /** r·(in+out) summed over the targeted modules (lm_head never is one). */
    static long budget(LlamaConfig config, List<String> targets, int r) {
        long total = 0;
        for (Map.Entry<String, LinearModules.Shape> e : LinearModules.forLlama(config).modules().entrySet()) {
            if (targets.stream().anyMatch(t -> e.getKey().endsWith("." + t))) {
                total += PeftKeys.shiraK(r, e.getValue().out(), e.getValue().in());
            }
        }
        return total;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1) + 0.5))];
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void write(Report r, Path outDir, PrintStream log) throws IOException {
        Files.createDirectories(outDir);
        Path json = outDir.resolve("serving-benchmark.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
        Path md = outDir.resolve("serving-benchmark.md");
        Files.writeString(md, markdown(r));
        log.println(markdown(r));
        log.println("wrote " + json + " and " + md);
    }

    static String markdown(Report r) {
        Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("# Serving benchmark\n\n");
        b.append(String.format("Run %s on %d CPUs (num_threads %s, load average %.2f at the end). Random-weight Llama: "
                        + "%d layers, hidden %d, intermediate %d, heads %d/%d, vocab %d, %s, %s steps. "
                        + "LoRA rank %d on %s. "
                        + "%d requests per mix, prompt %d tokens, %d generated tokens each (greedy), batch %d rows, "
                        + "%d admitted per step. Best of %d interleaved rounds per mix (all rounds in the JSON).%n%n",
                r.startedAt(), r.availableProcessors(), r.numThreads(),
                r.loadAverage(), s.layers(), s.hidden(), s.intermediate(), s.heads(), s.kvHeads(), s.vocab(),
                s.halfPrecision() ? "F16 base weights" : "F32", s.compiledSteps() ? "compiled" : "eager",
                s.rank(), String.join(",", s.targets()), s.requests(), s.promptTokens(), s.maxTokens(),
                s.batchRows(), s.prefillRows(), s.rounds()));
        b.append("Throughput is generated tokens per CPU-second of the scheduler thread (all ops run on it with "
                + "num_threads=1; other processes on a shared machine disturb it far less than wall time, yet rounds "
                + "still differ by up to ~10% under load); wall-clock tokens/s "
                + "alongside.\n\n");
        b.append("| request mix | tokens/CPU-s | vs base | vs 1 adapter | wall tokens/s | decode steps "
                + "| steps with >1 adapter | all rounds (tokens/CPU-s) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        double base = r.mixes().get(0).tokensPerCpuSecond();
        double one = r.mixes().stream().filter(m -> m.adapters() == 1).mapToDouble(Mix::tokensPerCpuSecond)
                .findFirst().orElse(Double.NaN);
        for (Mix m : r.mixes()) {
            b.append(String.format("| %s | %.1f | %.3f | %s | %.1f | %d | %d | %s |%n",
                    m.adapters() == 0 ? "base model only" : m.adapters() + " distinct LoRAs",
                    m.tokensPerCpuSecond(), m.tokensPerCpuSecond() / base, m.adapters() == 0 ? ""
                            : String.format("%.3f", m.tokensPerCpuSecond() / one), m.tokensPerSecond(),
                    m.decodeSteps(), m.mixedDecodeSteps(),
                    m.roundTokensPerCpuSecond().stream().map(v -> String.format("%.1f", v))
                            .collect(java.util.stream.Collectors.joining(", "))));
        }
        b.append(String.format("%nWeight switch (median of %d): SHiRA fuse+restore %.2f ms vs LoRA merge+restore "
                        + "%.2f ms -> ratio %.3f (same parameter budget: %d vs %d values).%n", s.switchRepeats(),
                r.shiraSwitchMillis(), r.loraMergeMillis(), r.shiraVsLoraSwitch(), r.shiraParametersPerAdapter(),
                r.loraParametersPerAdapter()));
        b.append(String.format("%nCold adapter load (PEFT files on disk -> ready to serve): LoRA median %.1f ms, "
                + "p90 %.1f ms; SHiRA %.1f ms.%n%nTargets:%n", r.coldLoadMedianMillis(), r.coldLoadP90Millis(),
                r.coldShiraLoadMillis()));
        r.targets().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        if (!r.latency().isEmpty()) {
            b.append(String.format("%nLatency with one LoRA (%s clients in a closed loop, prompt %d tokens, %d "
                            + "generated; TTFT includes queueing and prefill):%n%n", s.latencyConcurrency(),
                    s.promptTokens(), s.latencyMaxTokens()));
            b.append(LatencyBenchmark.markdown(r.latency()));
        }
        return b.toString();
    }
}
