package dev.adapterhub.engine.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.method.FullFineTuning;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.LearningRateSchedule;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingDivergedException;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.MethodSpec.Method;
import dev.adapterhub.engine.train.recipe.MethodSpec;
import dev.adapterhub.engine.train.recipe.TrainingMethods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Benchmark (a): pretrains a small Llama on {@link SyntheticTasks#pretrainingCorpus} (or reuses one under
 * {@code out/base-model}), then fine-tunes full FT, LoRA, LoRA-GA, LoRA-SB and SHiRA on each task with the
 * same step budget, each at the best learning rate of a small sweep (seed 0, chosen by final eval loss), over
 * several seeds. Writes {@code results.json}, {@code results.md} and one loss-curve PNG per task.
 *
 * <p>Run: {@code java -cp <classpath> dev.adapterhub.engine.tools.bench.MethodComparison --out DIR [--steps 300]
 * [--seeds 3] [--tasks NUM2WORDS,WORDS2NUM] [--methods full,lora,lora-ga,lora-sb,shira] [--pretrain-steps 1500]
 * [--no-sweep] [--grid-<method> lr1,lr2,...] [--base-size layers,hidden,intermediate,heads,kvHeads]} (see
 * BENCHMARKS.md for the Maven command; {@code adapter-engine-cli compare-methods} takes the same options).
 */
public final class MethodComparison {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Benchmark settings; defaults are the documented configuration. */
    public record Options(Path out, int steps, int batchSize, int seeds, List<SyntheticTasks.Task> tasks,
                          List<String> methods, boolean sweep, int pretrainSteps, int rank, int evalExamples,
                          int corpusLines, Map<String, List<Double>> grids, List<Integer> baseSize) {

        /** The learning rates swept for {@code method}: {@code --grid-<method> a,b,c} or the default grid. */
        public List<Double> grid(String method) {
            return grids.getOrDefault(method, MethodComparison.grid(method));
        }

        public static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--no-sweep")) {
                    a.put("no-sweep", "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    a.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
            }
            List<SyntheticTasks.Task> tasks = new ArrayList<>();
            for (String t : a.getOrDefault("tasks", "NUM2WORDS,WORDS2NUM").split(",")) {
                tasks.add(SyntheticTasks.Task.valueOf(t.trim().toUpperCase(Locale.ROOT)));
            }
            Map<String, List<Double>> grids = new LinkedHashMap<>();
            a.forEach((key, value) -> {
                if (key.startsWith("grid-")) {
                    List<Double> lrs = new ArrayList<>();
                    for (String lr : value.split(",")) {
                        lrs.add(Double.parseDouble(lr.trim()));
                    }
                    grids.put(key.substring("grid-".length()), List.copyOf(lrs));
                }
            });
            return new Options(Path.of(a.getOrDefault("out", "target/bench")),
                    Integer.parseInt(a.getOrDefault("steps", "300")),
                    Integer.parseInt(a.getOrDefault("batch-size", "16")),
                    Integer.parseInt(a.getOrDefault("seeds", "3")), tasks,
                    List.of(a.getOrDefault("methods", "full,lora,lora-ga,lora-sb,shira").split(",")),
                    !a.containsKey("no-sweep"),
                    Integer.parseInt(a.getOrDefault("pretrain-steps", "1500")),
                    Integer.parseInt(a.getOrDefault("rank", "8")),
                    Integer.parseInt(a.getOrDefault("eval-examples", "64")),
                    Integer.parseInt(a.getOrDefault("corpus-lines", "20000")), Map.copyOf(grids),
                    baseSize(a.getOrDefault("base-size", "4,128,256,4,2")));
        }

        /** "layers,hidden,intermediate,heads,kvHeads" of the base model to pretrain. */
        private static List<Integer> baseSize(String text) {
            List<Integer> v = new ArrayList<>();
            for (String part : text.split(",")) {
                v.add(Integer.parseInt(part.trim()));
            }
            if (v.size() != 5 || v.stream().anyMatch(x -> x < 1) || v.get(1) % v.get(3) != 0
                    || v.get(3) % v.get(4) != 0) {
                throw new IllegalArgumentException("--base-size must be layers,hidden,intermediate,heads,kvHeads with "
                        + "hidden divisible by heads and heads by kvHeads, got " + text);
            }
            return List.copyOf(v);
        }
    }

    /** One fine-tuning run. */
    public record Run(String method, String task, double learningRate, long seed, List<Double> losses,
                      double finalLoss, double evalLoss, double evalExactMatch, double msPerStep, long initMillis,
                      double peakRssMiB, long trainable) {
    }

    /** Per task and method, over seeds at the chosen learning rate. */
    public record Summary(String method, String task, double bestLearningRate, Map<String, Double> sweepEvalLoss,
                          List<Integer> stepsToLoraFinalLoss, double meanFinalLoss, double meanExactMatch,
                          double minExactMatch, double maxExactMatch, double msPerStep, double initMillis,
                          double initAsStepsEquivalent, double initFractionOf1000StepJob, double peakRssMiB,
                          long trainable) {
    }

    private MethodComparison() {
    }

    public static void main(String[] args) throws IOException {
        run(Options.parse(args));
    }

    private static long lap(String what, long t0) {
        System.out.printf(Locale.ROOT, "[bench] %s: %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
        return System.nanoTime();
    }

    /** Learning-rate grid per method (about one decade around the values methods.md reports as best). */
    static List<Double> grid(String method) {
        return switch (method) {
            case "full" -> List.of(1e-3, 3e-3, 1e-2);
            case "lora", "shira" -> List.of(3e-3, 1e-2, 3e-2);
            case "lora-ga" -> List.of(1e-3, 3e-3, 1e-2);
            case "lora-ga-no-rslora" -> List.of(1e-3, 3e-3, 1e-2);
            case "lora-sb" -> List.of(1e-2, 3e-2, 1e-1);
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }

    /** The engine's default spec of each method at alpha = 2r (LoRA-SB: alpha = r; SHiRA: SNIP), plus full FT. */
    static Supplier<TrainingMethod> factory(String method, int rank) {
        float alpha = 2f * rank;
        return switch (method) {
            case "full" -> FullFineTuning::new;
            case "lora" -> () -> TrainingMethods.create(MethodSpec.defaults(Method.LORA, rank, alpha));
            // The paper's "stable output" configuration: rsLoRA scaling, gamma 16.
            case "lora-ga" -> () -> TrainingMethods.create(MethodSpec.defaults(Method.LORA_GA, rank, alpha));
            // The reference code's default (use_rslora: false, s = alpha/r): only for comparing the two scalings.
            case "lora-ga-no-rslora" -> () -> TrainingMethods.create(
                    MethodSpec.defaults(Method.LORA_GA, rank, alpha).withRsLora(false));
            case "lora-sb" -> () -> TrainingMethods.create(MethodSpec.defaults(Method.LORA_SB, rank, alpha));
            case "shira" -> () -> TrainingMethods.create(MethodSpec.defaults(Method.SHIRA, rank, alpha));
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
    }

    public static Map<String, Object> run(Options o) throws IOException {
        Devices.configureOffline();
        Files.createDirectories(o.out());
        Path base = o.out().resolve("base-model");
        long t0 = System.nanoTime();
        Map<String, Object> pretraining = ensureBaseModel(base, o.pretrainSteps(), o.corpusLines(), o.baseSize());
        t0 = lap("base model ready", t0);
        List<Run> runs = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        // Rewritten after every run, so that a run cut short (a device lease, a timeout) keeps the losses it has.
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("options", Map.of("steps", o.steps(), "batchSize", o.batchSize(), "seeds", o.seeds(),
                "rank", o.rank(), "tasks", o.tasks().toString(), "sweep", o.sweep(),
                "threads", System.getProperty("ai.djl.pytorch.num_threads", "?"),
                "processors", Runtime.getRuntime().availableProcessors()));
        results.put("pretraining", pretraining);
        results.put("finished", false);
        results.put("summaries", summaries);
        results.put("runs", runs);
        for (SyntheticTasks.Task task : o.tasks()) {
            // One split per task (seed 0) for every method, learning rate and seed.
            List<PromptCompletion> examples = SyntheticExamples.of(SyntheticTasks.task(task, 0));
            PromptCompletionDataset.Split split = new PromptCompletionDataset(examples).split(0.2, 0);
            t0 = lap(task + " data split", t0);
            Map<String, List<Run>> bestRuns = new LinkedHashMap<>();
            Map<String, Double> bestLrs = new LinkedHashMap<>();
            Map<String, Map<String, Double>> sweeps = new LinkedHashMap<>();
            for (String method : o.methods()) {
                Map<String, Double> sweep = new LinkedHashMap<>();
                List<Double> grid = o.grid(method);
                double bestLr = grid.get(grid.size() / 2);
                Run bestRun = null;
                List<Double> lrs = o.sweep() ? grid : List.of(bestLr);
                for (double lr : lrs) {
                    Run r = fineTune(o, base, method, task, split, lr, 0);
                    runs.add(r);
                    writeJson(o, results);
                    sweep.put(Double.toString(lr), r.evalLoss());
                    if (bestRun == null || !(bestRun.evalLoss() <= r.evalLoss()) && !Double.isNaN(r.evalLoss())) {
                        bestRun = r;
                        bestLr = lr;
                    }
                }
                bestRuns.put(method, new ArrayList<>(List.of(bestRun)));
                bestLrs.put(method, bestLr);
                sweeps.put(method, sweep);
            }
            // Seed-major, so that a comparison cut short still pairs every method on the seeds it finished.
            int finishedTasks = summaries.size();
            for (int s = 1; s < o.seeds(); s++) {
                for (String method : o.methods()) {
                    Run r = fineTune(o, base, method, task, split, bestLrs.get(method), s);
                    runs.add(r);
                    bestRuns.get(method).add(r);
                    summaries.subList(finishedTasks, summaries.size()).clear();
                    summaries.addAll(summarize(task, bestRuns, sweeps));
                    writeJson(o, results);
                }
            }
            summaries.subList(finishedTasks, summaries.size()).clear();
            summaries.addAll(summarize(task, bestRuns, sweeps));
            Map<String, List<Double>> curves = new LinkedHashMap<>();
            bestRuns.forEach((m, rs) -> curves.put(m + " (lr " + rs.get(0).learningRate() + ")", rs.get(0).losses()));
            LossPlot.write(o.out().resolve("loss-" + task.name().toLowerCase(Locale.ROOT) + ".png"),
                    "Fine-tuning loss, " + task + ", seed 0, best lr each", curves, 10);
        }
        results.put("finished", true);
        writeJson(o, results);
        Files.writeString(o.out().resolve("results.md"), markdown(o, pretraining, summaries));
        return results;
    }

    private static void writeJson(Options o, Map<String, Object> results) throws IOException {
        Path tmp = o.out().resolve("results.json.tmp");
        JSON.writeValue(tmp.toFile(), results);
        Files.move(tmp, o.out().resolve("results.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> ensureBaseModel(Path base, int steps, int lines, List<Integer> size)
            throws IOException {
        Path info = base.resolve("pretraining.json");
        if (Files.isRegularFile(info)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> known = JSON.readValue(info.toFile(), Map.class);
            return known;
        }
        Path init = base.resolveSibling("base-init");
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(size.get(0), size.get(1), size.get(2), size.get(3),
                size.get(4), 259).withSeed(1234);
        TinyLlamaGenerator.generate(spec, init);
        Map<String, Object> out = new LinkedHashMap<>();
        try (LlamaModel model = CheckpointIO.load(init); TextTokenizer tokenizer = TextTokenizer.load(init)) {
            List<PromptCompletion> corpus = SyntheticExamples.of(SyntheticTasks.pretrainingCorpus(lines, 99));
            // The whole corpus in its own order, nothing held out.
            PromptCompletionDataset.Split data = new PromptCompletionDataset.Split(new PromptCompletionDataset(corpus),
                    new PromptCompletionDataset(List.of()));
            long params = model.parameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
            TrainingConfig config = TrainingConfig.builder().setSteps(steps).setLearningRate(3e-3).optBatchSize(32)
                    .optWarmupSteps(Math.max(1, steps / 20)).optMinLearningRateRatio(0.1).optMaxLength(96)
                    .optSeed(7).build();
            long t0 = System.nanoTime();
            TrainingResult r = FineTune.builder().setModel(model, tokenizer).setSplit(data).setConfig(config)
                    .setMethod(new FullFineTuning()).optListener(new TrainingListener() {
                        @Override
                        public void onStep(Step s) {
                            if (s.step() % 100 == 0) {
                                System.out.printf(Locale.ROOT, "pretrain step %d/%d loss %.4f %.0f tok/s%n",
                                        s.step(), s.totalSteps(), s.loss(), s.tokensPerSecond());
                            }
                        }
                    }).build().run().training();
            Files.createDirectories(base);
            CheckpointIO.save(model, base);
            Files.copy(init.resolve("tokenizer.json"), base.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            List<Double> losses = r.losses();
            out.put("parameters", params);
            out.put("spec", String.format(Locale.ROOT, "layers %d, hidden %d, intermediate %d, heads %d, kv heads %d, "
                    + "byte-level vocab 259", size.get(0), size.get(1), size.get(2), size.get(3), size.get(4)));
            out.put("corpus", lines + " lines of counting runs in digits or English words (SyntheticTasks.pretrainingCorpus, seed 99)");
            out.put("steps", steps);
            out.put("batchSize", 32);
            out.put("learningRate", 3e-3);
            out.put("firstLoss", losses.get(0));
            out.put("finalLoss", tailMean(losses, 20));
            out.put("seconds", (System.nanoTime() - t0) / 1e9);
        }
        JSON.writeValue(info.toFile(), out);
        return out;
    }

    private static Run fineTune(Options o, Path base, String method, SyntheticTasks.Task task,
                                PromptCompletionDataset.Split split, double lr, long seed) throws IOException {
        ProcessMemory.resetPeak();
        TrainingConfig config = TrainingConfig.builder().setSteps(o.steps()).setLearningRate(lr)
                .optBatchSize(o.batchSize()).optWarmupSteps(o.steps() / 20).optSchedule(LearningRateSchedule.Kind.COSINE)
                .optMaxLength(64).optSeed(seed).optEvalMaxExamples(o.evalExamples())
                .optGradientBatches(8).optGradientBatchSize(o.batchSize()).build();
        TrainingResult r;
        try {
            r = FineTune.builder().setBaseModel(base).setSplit(split).setConfig(config)
                    .setMethod(factory(method, o.rank()).get()).build().run().training();
        } catch (TrainingDivergedException diverged) {
            System.out.printf(Locale.ROOT, "%s %s lr=%g seed=%d diverged at step %d%n", task, method, lr, seed,
                    diverged.step());
            return new Run(method, task.name(), lr, seed, List.of(Double.NaN), Double.NaN, Double.NaN, 0, 0, 0,
                    ProcessMemory.peakMiB(), 0);
        }
        TrainingListener.Eval e = r.finalEval();
        Run run = new Run(method, task.name(), lr, seed, r.losses(), tailMean(r.losses(), 10), e.loss(),
                e.exactMatch(), r.meanStepMillis(), r.prepareMillis(), ProcessMemory.peakMiB(),
                r.trainableParameters());
        System.out.printf(Locale.ROOT, "%s %s lr=%g seed=%d final=%.4f eval=%.4f em=%.3f %.1f ms/step init %d ms%n",
                task, method, lr, seed, run.finalLoss(), run.evalLoss(), run.evalExactMatch(), run.msPerStep(),
                run.initMillis());
        return run;
    }

    static double tailMean(List<Double> values, int n) {
        int from = Math.max(0, values.size() - n);
        return values.subList(from, values.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** First step (1-based) whose 10-step moving average reaches {@code target}; -1 if never. */
    static int stepsToReach(List<Double> losses, double target) {
        double[] smooth = LossPlot.movingAverage(losses, 10);
        for (int i = 0; i < smooth.length; i++) {
            if (i >= 9 && smooth[i] <= target) {
                return i + 1;
            }
        }
        return -1;
    }

    private static List<Summary> summarize(SyntheticTasks.Task task, Map<String, List<Run>> best,
                                           Map<String, Map<String, Double>> sweeps) {
        List<Run> lora = best.get("lora");
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : best.entrySet()) {
            List<Run> rs = e.getValue();
            List<Integer> reach = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) {
                if (lora != null && i < lora.size()) {
                    reach.add(stepsToReach(rs.get(i).losses(), lora.get(i).finalLoss()));
                }
            }
            double ms = rs.stream().mapToDouble(Run::msPerStep).average().orElse(0);
            double init = rs.stream().mapToDouble(Run::initMillis).average().orElse(0);
            out.add(new Summary(e.getKey(), task.name(), rs.get(0).learningRate(), sweeps.get(e.getKey()), reach,
                    rs.stream().mapToDouble(Run::finalLoss).average().orElse(0),
                    rs.stream().mapToDouble(Run::evalExactMatch).average().orElse(0),
                    rs.stream().mapToDouble(Run::evalExactMatch).min().orElse(0),
                    rs.stream().mapToDouble(Run::evalExactMatch).max().orElse(0), ms, init,
                    ms > 0 ? init / ms : 0, init / (init + 1000 * ms), rs.stream().mapToDouble(Run::peakRssMiB).max().orElse(-1),
                    rs.get(0).trainable()));
        }
        return out;
    }

    private static String markdown(Options o, Map<String, Object> pretraining, List<Summary> summaries) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Method comparison\n\n");
        sb.append(String.format(Locale.ROOT, "Budget: %d steps, batch %d, rank %d, %d seed(s), cosine schedule with "
                + "5%% warmup; lr per method chosen on seed 0 by final eval loss. %d CPU threads of %d processors.%n%n",
                o.steps(), o.batchSize(), o.rank(), o.seeds(),
                Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "0")),
                Runtime.getRuntime().availableProcessors()));
        sb.append("Base model: ").append(pretraining.get("spec")).append(", ").append(pretraining.get("parameters"))
                .append(" parameters, pretrained ").append(pretraining.get("steps")).append(" steps on ")
                .append(pretraining.get("corpus")).append(String.format(Locale.ROOT, "; loss %.3f -> %.3f.%n%n",
                        ((Number) pretraining.get("firstLoss")).doubleValue(),
                        ((Number) pretraining.get("finalLoss")).doubleValue()));
        sb.append("| task | method | best lr | sweep (lr: eval loss) | steps to LoRA's final loss (per seed) | "
                + "final train loss | exact match mean [min, max] | ms/step | init ms (≈ steps; share of a 1,000-step job) | "
                + "peak RSS MiB | trainable |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary s : summaries) {
            StringBuilder sweep = new StringBuilder();
            s.sweepEvalLoss().forEach((lr, l) -> sweep.append(lr).append(": ")
                    .append(String.format(Locale.ROOT, "%.3f", l)).append("; "));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %g | %s | %s | %.4f | %.3f [%.3f, %.3f] | %.1f | %.0f (%.1f; %.2f%%) | %.0f | %d |%n",
                    s.task(), s.method(), s.bestLearningRate(), sweep.toString().trim(), s.stepsToLoraFinalLoss(),
                    s.meanFinalLoss(), s.meanExactMatch(), s.minExactMatch(), s.maxExactMatch(), s.msPerStep(),
                    s.initMillis(), s.initAsStepsEquivalent(), 100 * s.initFractionOf1000StepJob(), s.peakRssMiB(),
                    s.trainable()));
        }
        sb.append("\n\"steps to LoRA's final loss\": first step whose 10-step moving average of the training loss is at "
                + "or below plain LoRA's final loss (mean of its last 10 steps) with the same seed; -1 = never.\n");
        return sb.toString();
    }
}
