package dev.adapterhub.engine.tools.cli;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.FineTuneResult;
import dev.adapterhub.engine.train.recipe.MethodSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Fine-tunes one adapter on a JSONL dataset and writes it as an HF PEFT directory. */
final class TrainCommand {

    private TrainCommand() {
    }

    static void run(CliOptions options) throws Exception {
        Path base = options.path("base");
        Path data = options.path("data");
        Path out = options.path("out");
        String method = options.text("method", "LORA").toUpperCase(Locale.ROOT);
        int rank = options.integer("rank", 8);
        float alpha = (float) options.decimal("alpha", 16);
        int steps = options.integer("steps", 100);
        double learningRate = options.decimal("lr", 1e-3);
        int batchSize = options.integer("batch-size", 8);
        double evalFraction = options.decimal("eval-fraction", 0.1);
        long seed = options.integer("seed", 0);
        String baseName = options.text("base-name", base.getFileName().toString());
        String report = options.text("report", null);
        String baseType = options.text("base-dtype", "F32").toUpperCase(Locale.ROOT);
        boolean compiledForward = options.compiledForward("eager");
        options.requireAllUsed();

        MethodSpec spec = MethodSpec.defaults(parseMethod(method), rank, alpha);
        TokenCount tokens = new TokenCount();
        Devices.configureOffline();
        TrainingConfig config = TrainingConfig.builder()
                .setSteps(steps)
                .setLearningRate(learningRate)
                .optBatchSize(batchSize)
                .optWarmupSteps(Math.max(1, steps / 20))
                .optEvalEvery(Math.max(1, steps / 4))
                .optEvalMaxExamples(32)
                .optSeed(seed)
                .optCompiledForward(compiledForward)
                .build();
        FineTuneResult result = FineTune.builder()
                .setBaseModel(base)
                .optBaseDataType(baseDataType(baseType))
                .setDatasetFile(data)
                .optEvalFraction(evalFraction)
                .setConfig(config)
                .setMethod(spec)
                .optListener(new ConsoleProgress(method, rank, Math.max(1, steps / 20)))
                .optListener(tokens)
                .optExport(out, baseName)
                .build()
                .run();
        if (report != null) {
            writeReport(Path.of(report), result.training(), batchSize, tokens.meanPerStep());
        }
        TrainingListener.Eval last = result.finalEval();
        System.out.printf("wrote %s adapter to %s%s%n", method, out, last == null ? ""
                : String.format(Locale.ROOT, " (eval loss %.4f, exact match %.2f)", last.loss(), last.exactMatch()));
    }

    /**
     * The run's figures for benchmarks (the GPU run's results table): steps/s over the training steps alone
     * (evaluations and checkpoints excluded) and the method's initialisation as a share of a 1,000-step job.
     */
    private static void writeReport(Path file, TrainingResult t, int batchSize, double tokensPerStep)
            throws java.io.IOException {
        double stepMillis = t.meanStepMillis();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", t.method());
        r.put("device", Devices.preferred().toString());
        r.put("steps", t.losses().size());
        r.put("batchSize", batchSize);
        r.put("meanTokensPerStep", tokensPerStep); // real tokens (padding excluded): the peer's batch is sized by it
        r.put("trainableParameters", t.trainableParameters());
        r.put("stepsPerSecond", stepMillis > 0 ? 1000 / stepMillis : Double.NaN);
        r.put("meanStepMillis", stepMillis);
        r.put("prepareMillis", t.prepareMillis());
        r.put("stepPhasesMillis", t.phases()); // host time per step: batch, forward, backward, wait, update
        r.put("compiledForwards", t.compiledForwards()); // micro-batches whose forward ran as one TorchScript call
        r.put("initShareOf1000Steps", t.prepareMillis() / (t.prepareMillis() + 1000 * stepMillis));
        r.put("firstLoss", t.losses().isEmpty() ? Double.NaN : t.losses().get(0));
        r.put("finalLoss", t.losses().isEmpty() ? Double.NaN : t.losses().get(t.losses().size() - 1));
        TrainingListener.Eval last = t.evals().isEmpty() ? null : t.evals().get(t.evals().size() - 1);
        r.put("finalEvalLoss", last == null ? null : last.loss());
        r.put("finalExactMatch", last == null ? null : last.exactMatch());
        Path parent = file.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(parent);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), r);
    }

    /** F32, or F16: the frozen base in half precision (adapter weights and optimizer state stay F32). */
    private static DataType baseDataType(String name) {
        return switch (name) {
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("--base-dtype must be F32 or F16, got " + name);
        };
    }

    private static MethodSpec.Method parseMethod(String method) {
        try {
            return MethodSpec.Method.valueOf(method);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--method must be LORA, LORA_GA, LORA_SB or SHIRA, got " + method);
        }
    }

    /** Real (non-padding) tokens per step, from each step's rate and duration. */
    private static final class TokenCount implements TrainingListener {
        private double tokens;
        private int steps;

        @Override
        public void onStep(Step step) {
            tokens += step.tokensPerSecond() * step.stepMillis() / 1000.0;
            steps++;
        }

        double meanPerStep() {
            return steps == 0 ? 0 : tokens / steps;
        }
    }

    /** Prints every n-th step and every evaluation. */
    private static final class ConsoleProgress implements TrainingListener {
        private final String method;
        private final int rank;
        private final int every;

        ConsoleProgress(String method, int rank, int every) {
            this.method = method;
            this.rank = rank;
            this.every = every;
        }

        @Override
        public void onStart(Start start) {
            System.out.printf("training %s (rank %d) on %d examples, %d held out, %d steps%n",
                    method, rank, start.trainExamples(), start.evalExamples(), start.totalSteps());
        }

        @Override
        public void onStep(Step step) {
            if (step.step() % every == 0 || step.step() == step.totalSteps()) {
                System.out.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  %.0f tok/s  eta %.0fs%n",
                        step.step(), step.totalSteps(), step.loss(), step.learningRate(), step.tokensPerSecond(),
                        step.etaSeconds());
            }
        }

        @Override
        public void onEval(Eval eval) {
            System.out.printf(Locale.ROOT, "eval at step %d: loss %.4f, exact match %.2f (%d examples)%n",
                    eval.step(), eval.loss(), eval.exactMatch(), eval.examples());
        }
    }
}
