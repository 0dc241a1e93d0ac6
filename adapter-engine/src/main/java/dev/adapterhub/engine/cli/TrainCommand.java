package dev.adapterhub.engine.cli;

import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.lorasb.LoraSbMethod;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TokenizerEncoder;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.TrainingResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
        options.requireAllUsed();

        Devices.configureOffline();
        PromptCompletionDataset.Split split = PromptCompletionDataset.read(data).split(evalFraction, seed);
        try (TextTokenizer tokenizer = TextTokenizer.load(base);
             LlamaModel model = CheckpointIO.load(base);
             TrainingMethod trainingMethod = method(method, rank, alpha)) {
            TokenizerEncoder encoder = new TokenizerEncoder(tokenizer);
            List<TokenizedExample> train = encoder.encodeAll(split.train().examples());
            List<TokenizedExample> eval = encoder.encodeAll(split.eval().examples());
            TrainingConfig config = TrainingConfig.builder()
                    .setSteps(steps)
                    .setLearningRate(learningRate)
                    .optBatchSize(batchSize)
                    .optWarmupSteps(Math.max(1, steps / 20))
                    .optEvalEvery(Math.max(1, steps / 4))
                    .optEvalMaxExamples(32)
                    .optSeed(seed)
                    .build();
            System.out.printf("training %s (rank %d) on %d examples, %d held out, %d steps%n",
                    method, rank, train.size(), eval.size(), steps);
            TrainingResult result = TrainingJob.builder()
                    .setModel(model)
                    .setMethod(trainingMethod)
                    .setTrainData(train)
                    .setConfig(config)
                    .optEvalData(eval)
                    .optPadId(tokenizer.padId())
                    .optListener(new ConsoleProgress(Math.max(1, steps / 20)))
                    .build()
                    .run();
            trainingMethod.export(out, baseName);
            TrainingListener.Eval last = result.finalEval();
            System.out.printf("wrote %s adapter to %s%s%n", method, out, last == null ? ""
                    : String.format(Locale.ROOT, " (eval loss %.4f, exact match %.2f)", last.loss(), last.exactMatch()));
        }
    }

    private static TrainingMethod method(String method, int rank, float alpha) {
        // LoRA-GA's stable scaling is defined with rsLoRA (methods.md, step 4); the others use PEFT's default.
        return switch (method) {
            case "LORA" -> new LoraMethod(new LoraSettings(rank, alpha, false, LoraSettings.ALL_PROJECTIONS));
            case "LORA_GA" -> new LoraGaMethod(new LoraSettings(rank, alpha, true, LoraSettings.ALL_PROJECTIONS));
            case "LORA_SB" -> new LoraSbMethod(new LoraSettings(rank, rank, false, LoraSettings.ALL_PROJECTIONS));
            case "SHIRA" -> new ShiraMethod(rank, ShiraMaskType.SNIP);
            default -> throw new IllegalArgumentException(
                    "--method must be LORA, LORA_GA, LORA_SB or SHIRA, got " + method);
        };
    }

    /** Prints every n-th step and every evaluation. */
    private static final class ConsoleProgress implements TrainingListener {
        private final int every;

        ConsoleProgress(int every) {
            this.every = every;
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
