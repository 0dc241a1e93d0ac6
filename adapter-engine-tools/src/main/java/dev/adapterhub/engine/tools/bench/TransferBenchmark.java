package dev.adapterhub.engine.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.testkit.BaseModelRecipe;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.MethodSpec;
import dev.adapterhub.engine.transfer.DiscriminatorTrainer;
import dev.adapterhub.engine.transfer.SyntheticInputs;
import dev.adapterhub.engine.transfer.TransLora;
import dev.adapterhub.engine.transfer.TransferEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trans-LoRA's ablation at small scale on the shipped bases: per task and seed, a LoRA trained on the source
 * base, its transfer kit (five seeds, a discriminator), then transfers to the target base with filtering,
 * without it, from the five seeds only, and to the other family, all scored on the task's real held-out split
 * (which the transfer never sees) beside the source adapter and the target base alone. Writes
 * {@code results.json}, {@code results.md} and {@code transfer.png}.
 *
 * <p>Run: {@code java -cp adapter-engine-cli.jar dev.adapterhub.engine.tools.bench.TransferBenchmark --out DIR
 * [--models models] [--tasks NUM2WORDS,WORDS2NUM,TOPIC] [--seeds 3] [--steps 300] [--goal 800]
 * [--variants filtered,unfiltered,seeds-only,cross-family] [--eval-examples 200] [--discriminator-steps 120]
 * [--discriminator-inputs 256] [--temperature 1.0] [--discriminator-temperature 1.0] [--lr 3e-3] [--first-seed 0]}:
 * seeds {@code first-seed} to {@code seeds - 1}, so that two processes can share the seeds of one run (their
 * {@code results.json} runs merge). Each variant's labelled synthetic set is kept as
 * {@code <task>-seed<n>/<variant>-labelled.jsonl}. Run again with the same {@code --out} and settings, it skips the
 * task and seed pairs already in {@code results.json}, so a long run can be continued.
 */
public final class TransferBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Benchmark settings. */
    public record Options(Path out, Path models, List<SyntheticTasks.Task> tasks, int seeds, int steps, int goal,
                          List<String> variants, int evalExamples, int discriminatorSteps,
                          int discriminatorInputs, float temperature, double learningRate,
                          float discriminatorTemperature, int firstSeed) {

        /** How the target base writes candidate inputs. */
        SyntheticInputs.Settings generation() {
            return at(temperature);
        }

        /** How the source base writes the discriminator's negatives. */
        SyntheticInputs.Settings negatives() {
            return at(discriminatorTemperature);
        }

        private static SyntheticInputs.Settings at(float t) {
            SyntheticInputs.Settings d = SyntheticInputs.Settings.defaults();
            return new SyntheticInputs.Settings(t, d.topP(), d.maxNewTokens(), d.batchSize());
        }

        public static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
                a.put(args[i].substring(2), args[i + 1]);
            }
            List<SyntheticTasks.Task> tasks = new ArrayList<>();
            for (String t : a.getOrDefault("tasks", "NUM2WORDS,WORDS2NUM,TOPIC").split(",")) {
                tasks.add(SyntheticTasks.Task.valueOf(t.trim().toUpperCase(Locale.ROOT)));
            }
            return new Options(Path.of(a.getOrDefault("out", "target/transfer-bench")),
                    Path.of(a.getOrDefault("models", "models")), tasks,
                    Integer.parseInt(a.getOrDefault("seeds", "3")), Integer.parseInt(a.getOrDefault("steps", "300")),
                    Integer.parseInt(a.getOrDefault("goal", "800")),
                    List.of(a.getOrDefault("variants", "filtered,unfiltered,seeds-only,cross-family").split(",")),
                    Integer.parseInt(a.getOrDefault("eval-examples", "200")),
                    Integer.parseInt(a.getOrDefault("discriminator-steps", "120")),
                    Integer.parseInt(a.getOrDefault("discriminator-inputs", "256")),
                    Float.parseFloat(a.getOrDefault("temperature", "1.0")),
                    Double.parseDouble(a.getOrDefault("lr", "3e-3")),
                    Float.parseFloat(a.getOrDefault("discriminator-temperature", "1.0")),
                    Integer.parseInt(a.getOrDefault("first-seed", "0")));
        }
    }

    /** One task and seed. */
    public record Run(String task, long seed, double source, double targetBase, double otherFamilyBase,
                      Map<String, Double> transferred, Map<String, Double> acceptanceRate,
                      Map<String, Integer> labelled, double discriminatorOnReal, double discriminatorOnGenerated,
                      double sourceTrainingSeconds, Map<String, Double> transferSeconds) {
    }

    private TransferBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        run(Options.parse(args));
    }

    public static List<Run> run(Options o) throws IOException {
        Devices.configureOffline();
        Files.createDirectories(o.out());
        Path source = dir(o.models(), BaseModelRecipe.TINY_LLAMA_V1);
        Path target = dir(o.models(), BaseModelRecipe.TINY_LLAMA_V2);
        Path other = dir(o.models(), BaseModelRecipe.TINY_BPE_V1);
        Path results = o.out().resolve("results.json");
        List<Run> runs = new ArrayList<>(finished(results, o));
        // Seeds outermost, so that a run cut short still has every task at the seeds it finished.
        for (long seed = o.firstSeed(); seed < o.seeds(); seed++) {
            for (SyntheticTasks.Task task : o.tasks()) {
                long s = seed;
                if (runs.stream().anyMatch(r -> r.task().equals(task.name()) && r.seed() == s)) {
                    log(task, seed, "already in %s", results);
                    continue;
                }
                runs.add(runOne(o, task, seed, source, target, other));
                JSON.writeValue(results.toFile(), new Results(o, runs));
            }
        }
        Files.writeString(o.out().resolve("results.md"), TransferReport.markdown(o, runs));
        TransferReport.plot(o.out().resolve("transfer.png"), runs, o.variants());
        return runs;
    }

    /**
     * The runs an earlier, interrupted invocation wrote to the same directory, so that a long benchmark continues
     * where it stopped. Only runs made with the same settings count (the number of seeds may differ).
     */
    static List<Run> finished(Path results, Options o) throws IOException {
        if (!Files.isRegularFile(results)) {
            return List.of();
        }
        Results earlier = JSON.readValue(results.toFile(), Results.class);
        if (!sameSettings(earlier.options(), o)) {
            throw new IllegalArgumentException(results + " holds runs made with other settings ("
                    + earlier.options() + "); choose another --out");
        }
        return earlier.runs();
    }

    /** What {@code results.json} holds. */
    record Results(Options options, List<Run> runs) {
    }

    private static boolean sameSettings(Options a, Options b) {
        return a.steps() == b.steps() && a.goal() == b.goal() && a.variants().equals(b.variants())
                && a.evalExamples() == b.evalExamples() && a.discriminatorSteps() == b.discriminatorSteps()
                && a.discriminatorInputs() == b.discriminatorInputs() && a.temperature() == b.temperature()
                && a.learningRate() == b.learningRate() && a.discriminatorTemperature() == b.discriminatorTemperature()
                && a.models().toAbsolutePath().normalize().equals(b.models().toAbsolutePath().normalize());
    }

    private static Path dir(Path models, BaseModelRecipe recipe) {
        return models.resolve(recipe.name()).resolve(recipe.revision());
    }

    private static Run runOne(Options o, SyntheticTasks.Task task, long seed, Path sourceBase, Path targetBase,
                              Path otherBase) throws IOException {
        Path work = o.out().resolve(task.name().toLowerCase(Locale.ROOT) + "-seed" + seed);
        SyntheticTasks.Split split = SyntheticTasks.split(task);
        List<PromptCompletion> train = SyntheticExamples.of(split.train());
        List<PromptCompletion> eval = SyntheticExamples.of(split.eval().subList(0, o.evalExamples()));
        List<PromptCompletion> shuffled = new ArrayList<>(train);
        Collections.shuffle(shuffled, new Random(seed));
        List<PromptCompletion> seedExamples = shuffled.subList(0, 5);
        List<String> seeds = seedExamples.stream().map(PromptCompletion::prompt).toList();

        long t0 = System.nanoTime();
        Path sourceAdapter = work.resolve("source");
        fineTune(sourceBase, train, o, seed, sourceAdapter, "tiny-llama@v1");
        double sourceSeconds = (System.nanoTime() - t0) / 1e9;
        Path discriminator = work.resolve("discriminator");
        DiscriminatorTrainer.Outcome kit = DiscriminatorTrainer.train(sourceBase, "tiny-llama@v1",
                train.stream().map(PromptCompletion::prompt).toList(), seeds, task.shortName(),
                new DiscriminatorTrainer.Settings(o.discriminatorInputs(), o.discriminatorSteps(), 1e-3,
                        o.negatives(), seed),
                discriminator);
        log(task, seed, "kit: discriminator real %.2f generated %.2f", kit.accuracyOnReal(), kit.accuracyOnGenerated());

        double sourceScore = TransferEvaluation.score(sourceBase, sourceAdapter, eval).exactMatch();
        double targetScore = TransferEvaluation.score(targetBase, null, eval).exactMatch();
        double otherScore = o.variants().contains("cross-family")
                ? TransferEvaluation.score(otherBase, null, eval).exactMatch() : Double.NaN;
        log(task, seed, "source %.3f, target base %.3f, other family base %.3f", sourceScore, targetScore, otherScore);

        Map<String, Double> transferred = new LinkedHashMap<>();
        Map<String, Double> acceptance = new LinkedHashMap<>();
        Map<String, Integer> labelled = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String variant : o.variants()) {
            long v0 = System.nanoTime();
            Path base = variant.equals("cross-family") ? otherBase : targetBase;
            List<PromptCompletion> data;
            if (variant.equals("seeds-only")) {
                data = seedExamples;
                acceptance.put(variant, Double.NaN);
            } else {
                TransLora.Source from = new TransLora.Source(sourceBase, sourceAdapter,
                        variant.equals("unfiltered") ? null : discriminator, seeds, task.shortName());
                TransLora.Settings defaults = TransLora.Settings.forGoal(o.goal(), seed);
                TransLora.Settings settings = new TransLora.Settings(defaults.goal(), defaults.maxGenerations(),
                        o.generation(), defaults.teacherMaxTokens(), defaults.batchSize(), seed);
                TransLora.Synthesis s = TransLora.synthesize(from, base, settings, (generated, kept, goal) -> { });
                data = s.labelled();
                new PromptCompletionDataset(data).write(work.resolve(variant + "-labelled.jsonl"));
                acceptance.put(variant, s.acceptanceRate());
            }
            labelled.put(variant, data.size());
            if (data.isEmpty()) {
                // Nothing to train on (the teacher finished no answer): the variant scores nothing.
                transferred.put(variant, Double.NaN);
                seconds.put(variant, (System.nanoTime() - v0) / 1e9);
                log(task, seed, "%s: no labelled examples", variant);
                continue;
            }
            Path student = work.resolve(variant);
            fineTune(base, data, o, seed, student, variant.equals("cross-family") ? "tiny-bpe@v1" : "tiny-llama@v2");
            double score = TransferEvaluation.score(base, student, eval).exactMatch();
            transferred.put(variant, score);
            seconds.put(variant, (System.nanoTime() - v0) / 1e9);
            log(task, seed, "%s: %d labelled, acceptance %.2f, exact match %.3f, %.0f s", variant, data.size(),
                    acceptance.get(variant), score, seconds.get(variant));
        }
        return new Run(task.name(), seed, sourceScore, targetScore, otherScore, transferred, acceptance, labelled,
                kit.accuracyOnReal(), kit.accuracyOnGenerated(), sourceSeconds, seconds);
    }

    /**
     * The same LoRA recipe for source and students: rank 8, alpha 16, batch 16, {@code --lr} (3e-3 by default:
     * tiny-llama@v2 diverges on WORDS2NUM at 1e-2, see its model card).
     */
    private static TrainingListener.Eval fineTune(Path base, List<PromptCompletion> data, Options o, long seed,
                                                  Path out, String baseName) throws IOException {
        TrainingConfig config = TrainingConfig.builder().setSteps(o.steps()).setLearningRate(o.learningRate())
                .optBatchSize(16).optWarmupSteps(Math.max(1, o.steps() / 20)).optMaxLength(64).optSeed(seed).build();
        return FineTune.builder().setBaseModel(base)
                .setSplit(new PromptCompletionDataset.Split(new PromptCompletionDataset(data),
                        new PromptCompletionDataset(List.of())))
                .setConfig(config).setMethod(MethodSpec.defaults(MethodSpec.Method.LORA, 8, 16f))
                .optExport(out, baseName).build().run().training().finalEval();
    }

    private static void log(SyntheticTasks.Task task, long seed, String format, Object... args) {
        System.out.printf(Locale.ROOT, "[transfer %s seed %d] %s%n", task, seed, String.format(Locale.ROOT, format, args));
    }
}
