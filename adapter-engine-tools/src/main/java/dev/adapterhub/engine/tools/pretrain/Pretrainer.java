package dev.adapterhub.engine.tools.pretrain;

import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.method.FullFineTuning;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.BaseModelRecipe;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.engine.train.recipe.FineTune;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link BaseModelRecipe} into a checkpoint directory: random initial weights and tokenizer, then every
 * weight trained (the engine's full fine-tuning) on the recipe's corpus, one pass, with the same recipe as any
 * fine-tune. Deterministic for a given recipe, machine and libtorch thread count.
 */
public final class Pretrainer {

    /** What the run did, for the model card. */
    public record Outcome(int steps, long parameters, long documents, double firstLoss, double finalLoss,
                          double seconds, double tokensPerSecond) {
    }

    private Pretrainer() {
    }

    /** Pretrains into {@code out}; {@code steps} overrides the recipe's (smaller runs for tests). */
    public static Outcome run(BaseModelRecipe recipe, int steps, Path out) throws IOException {
        Files.createDirectories(out);
        recipe.writeInitialCheckpoint(out);
        List<PromptCompletion> corpus = recipe.corpus().stream().limit((long) steps * recipe.batchSize())
                .map(doc -> new PromptCompletion("", doc)).toList();
        // Every document is trained on; nothing is held out here (the scorer uses documents of another seed).
        PromptCompletionDataset.Split data = new PromptCompletionDataset.Split(new PromptCompletionDataset(corpus),
                new PromptCompletionDataset(List.of()));
        TrainingConfig config = TrainingConfig.builder().setSteps(steps).setLearningRate(recipe.learningRate())
                .optBatchSize(recipe.batchSize()).optWarmupSteps(Math.max(1, steps / 20))
                .optMinLearningRateRatio(0.1).optMaxLength(recipe.maxLength()).optSeed(recipe.trainingSeed())
                .build();
        long t0 = System.nanoTime();
        double[] tokensPerSecond = new double[1];
        try (LlamaModel model = CheckpointIO.load(out); TextTokenizer tokenizer = TextTokenizer.load(out)) {
            long parameters = model.parameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
            TrainingResult r = FineTune.builder().setModel(model, tokenizer).setSplit(data).setConfig(config)
                    .setMethod(new FullFineTuning()).optListener(new TrainingListener() {
                        @Override
                        public void onStep(Step s) {
                            tokensPerSecond[0] = s.tokensPerSecond();
                            if (s.step() % 50 == 0 || s.step() == s.totalSteps()) {
                                System.out.printf(Locale.ROOT, "[pretrain %s] step %d/%d loss %.4f %.0f tok/s%n",
                                        recipe.id(), s.step(), s.totalSteps(), s.loss(), s.tokensPerSecond());
                            }
                        }
                    }).build().run().training();
            CheckpointIO.save(model, out);
            List<Double> losses = r.losses();
            return new Outcome(steps, parameters, corpus.size(), losses.get(0), tail(losses, 20),
                    (System.nanoTime() - t0) / 1e9, tokensPerSecond[0]);
        }
    }

    private static double tail(List<Double> values, int n) {
        return values.subList(Math.max(0, values.size() - n), values.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
