package dev.adapterhub.engine.transfer;

import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.AttachedAdapter;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.MethodSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Makes the discriminator of a transfer kit while the training data still exists (ADR 10): the source base
 * writes inputs from the seed prompt, and a LoRA on the source base learns to tell the job's real inputs from
 * them. A tenth of each side is held out to measure it.
 */
public final class DiscriminatorTrainer {

    /** What the kit records about its discriminator. */
    public record Outcome(int realInputs, int generatedInputs, double accuracyOnReal, double accuracyOnGenerated,
                          TrainingResult training) {
    }

    /**
     * @param maxRealInputs real inputs used at most (the generated side matches them)
     * @param steps         LoRA steps
     * @param learningRate  LoRA learning rate
     * @param generation    how the source base writes the "no" inputs
     * @param seed          generation, split and training seed
     */
    public record Settings(int maxRealInputs, int steps, double learningRate, SyntheticInputs.Settings generation,
                           long seed) {

        public static Settings defaults() {
            return new Settings(256, 120, 1e-3, SyntheticInputs.Settings.defaults(), 0);
        }
    }

    /** The base model wrote too few usable inputs (or the job had too few real ones) to train a discriminator. */
    public static final class TooFewInputsException extends IllegalArgumentException {
        TooFewInputsException(String message) {
            super(message);
        }
    }

    private DiscriminatorTrainer() {
    }

    /**
     * Trains on {@link Placement#preferred()}; see
     * {@link #train(Path, String, Placement, List, List, String, Settings, Path)}.
     */
    public static Outcome train(Path sourceBase, String baseModelName, List<String> realInputs, List<String> seeds,
                                String taskName, Settings settings, Path outDir) throws IOException {
        return train(sourceBase, baseModelName, Placement.preferred(), realInputs, seeds, taskName, settings, outDir);
    }

    /**
     * Trains on the base loaded {@code where} (the LoRA and its optimizer in F32 whatever the base's dtype) and
     * writes the discriminator as a PEFT LoRA into {@code outDir}.
     *
     * @throws TooFewInputsException when fewer than 2 real or 2 generated inputs are left
     */
    public static Outcome train(Path sourceBase, String baseModelName, Placement where, List<String> realInputs,
                                List<String> seeds, String taskName, Settings settings, Path outDir)
            throws IOException {
        List<String> distinct = realInputs.stream().filter(Objects::nonNull).distinct().toList();
        List<String> real = distinct.subList(0, Math.min(settings.maxRealInputs(), distinct.size()));
        try (LlamaModel model = where.load(sourceBase);
             TextTokenizer tokenizer = TextTokenizer.load(sourceBase)) {
            Set<String> realSet = new HashSet<>(realInputs);
            List<String> generated = new ArrayList<>();
            SyntheticInputs writer = new SyntheticInputs(model, tokenizer, settings.generation());
            long next = settings.seed();
            // Rounds until the generated side matches the real one; a base that never finishes a line gives up.
            for (int round = 0; round < 8 && generated.size() < real.size(); round++) {
                int want = real.size() - generated.size();
                for (String x : writer.generate(seeds, next, want)) {
                    if (x != null && !realSet.contains(x) && generated.size() < real.size()) {
                        generated.add(x);
                    }
                }
                next += want;
            }
            int heldReal = Math.max(1, real.size() / 10);
            int heldGenerated = Math.max(1, generated.size() / 10);
            if (generated.size() < 2 || real.size() < 2) {
                throw new TooFewInputsException("a discriminator needs at least 2 real and 2 generated inputs; got "
                        + real.size() + " real, and the base model finished " + generated.size()
                        + " usable inputs from the seed prompt");
            }
            List<PromptCompletion> train = Discriminator.trainingExamples(real.subList(heldReal, real.size()),
                    generated.subList(heldGenerated, generated.size()), taskName, settings.seed());
            TrainingConfig config = TrainingConfig.builder().setSteps(settings.steps())
                    .setLearningRate(settings.learningRate()).optBatchSize(16)
                    .optWarmupSteps(Math.max(1, settings.steps() / 20)).optMaxLength(128).optSeed(settings.seed())
                    .build();
            TrainingResult result = FineTune.builder().setModel(model, tokenizer)
                    .setSplit(new PromptCompletionDataset.Split(new PromptCompletionDataset(train),
                            new PromptCompletionDataset(List.of())))
                    .setConfig(config).setMethod(MethodSpec.defaults(MethodSpec.Method.LORA, 8, 16f))
                    .optExport(outDir, baseModelName).build().run().training();
            try (AttachedAdapter ignored = AttachedAdapter.attach(model, outDir, "discriminator")) {
                Discriminator discriminator = new Discriminator(model, tokenizer, taskName, 32);
                double onReal = share(discriminator.judge(real.subList(0, heldReal)), true);
                double onGenerated = share(discriminator.judge(generated.subList(0, heldGenerated)), false);
                return new Outcome(real.size(), generated.size(), onReal, onGenerated, result);
            }
        }
    }

    private static double share(List<Discriminator.Verdict> verdicts, boolean real) {
        return verdicts.stream().filter(v -> v.real() == real).count() / (double) verdicts.size();
    }
}
