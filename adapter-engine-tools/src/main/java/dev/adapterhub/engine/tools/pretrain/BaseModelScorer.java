package dev.adapterhub.engine.tools.pretrain;

import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.GenerationResult;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.PretrainingCorpus;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.tools.bench.SyntheticExamples;
import dev.adapterhub.engine.train.Evaluator;
import dev.adapterhub.engine.transfer.TransferPrompts;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TokenizerEncoder;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.MethodSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a base model knows, measured the same way for every shipped base: loss on corpus documents it never saw,
 * exact match on each task's held-out split (base alone, then after a short LoRA fine-tune on the task's training
 * split), and how often, given five of a task's inputs as a numbered list, it writes a well-formed sixth.
 */
public final class BaseModelScorer {

    /** One task's numbers; {@code lora} has one entry per learning rate of {@link #LORA_LEARNING_RATES}. */
    public record TaskScore(String task, double baseExactMatch, List<LoraScore> lora,
                            double listContinuationRate, List<String> sampleContinuations) {
    }

    /** A short LoRA fine-tune on the task at one learning rate. */
    public record LoraScore(double learningRate, double exactMatch, double evalLoss) {
    }

    /**
     * Both are reported, none is picked: a base's best learning rate depends on its width (the wider upgrade
     * diverges at 1e-2 where the first revision is best), and picking by the held-out score would flatter it.
     */
    public static final List<Double> LORA_LEARNING_RATES = List.of(3e-3, 1e-2);

    /** All of a base's numbers. */
    public record Scores(double heldOutCorpusLoss, int loraSteps, int evalExamples, List<TaskScore> tasks) {

        /** Unseen corpus documents behind {@link #heldOutCorpusLoss}. */
        public int documents() {
            return Math.max(1, evalExamples * 256 / FULL);
        }

        /** List prompts per task behind each {@link TaskScore#listContinuationRate}. */
        public int listPrompts() {
            return Math.max(1, evalExamples / 10);
        }
    }

    /** The model card's budget: every held-out example, 256 unseen documents, 20 list prompts. */
    public static final int FULL = SyntheticTasks.EVAL_SIZE;


    private BaseModelScorer() {
    }

    /**
     * Scores {@code base}; {@code evalExamples} ({@link #FULL} for the model card, fewer for tests) caps the
     * held-out examples per task, and scales the unseen documents and list prompts with it.
     */
    public static Scores score(Path base, long corpusSeed, int loraSteps, int evalExamples) throws IOException {
        Scores budget = new Scores(Double.NaN, loraSteps, evalExamples, List.of());
        int documents = budget.documents();
        int listPrompts = budget.listPrompts();
        List<TaskScore> tasks = new ArrayList<>();
        double heldOut;
        Map<SyntheticTasks.Task, Double> baseline = new LinkedHashMap<>();
        Map<SyntheticTasks.Task, List<String>> continuations = new LinkedHashMap<>();
        try (LlamaModel model = CheckpointIO.load(base); TextTokenizer tokenizer = TextTokenizer.load(base)) {
            TokenizerEncoder encoder = new TokenizerEncoder(tokenizer);
            // Another seed than the recipe's: documents of the same kind the model never trained on.
            List<PromptCompletion> unseen = PretrainingCorpus.documents(documents, corpusSeed + 1_000_003L).stream()
                    .map(d -> new PromptCompletion("", d)).toList();
            heldOut = new Evaluator(model, encoder.encodeAll(unseen), 32, tokenizer.padId(), 256)
                    .loss(model.manager());
            for (SyntheticTasks.Task task : SyntheticTasks.Task.values()) {
                List<PromptCompletion> eval = SyntheticExamples.of(heldOut(task, evalExamples));
                TrainingListener.Eval e = new Evaluator(model, encoder.encodeAll(eval), 50, tokenizer.padId(), 64)
                        .evaluate(0, model.manager());
                continuations.put(task, listContinuations(model, tokenizer, task, listPrompts));
                baseline.put(task, e.exactMatch());
            }
        }
        for (SyntheticTasks.Task task : SyntheticTasks.Task.values()) {
            List<LoraScore> lora = new ArrayList<>();
            for (double lr : LORA_LEARNING_RATES) {
                TrainingListener.Eval e = fineTune(base, task, loraSteps, lr, evalExamples);
                lora.add(new LoraScore(lr, e.exactMatch(), e.loss()));
            }
            List<String> generated = continuations.get(task);
            long wellFormed = generated.stream().filter(x -> SyntheticTasks.isInput(task, x)).count();
            tasks.add(new TaskScore(task.shortName(), baseline.get(task), lora,
                    (double) wellFormed / generated.size(), generated.subList(0, Math.min(5, generated.size()))));
            System.out.printf(Locale.ROOT, "[score] %s: base %.3f, LoRA %d steps %s, list continuation %.2f%n",
                    task.shortName(), baseline.get(task), loraSteps, lora, (double) wellFormed / generated.size());
        }
        return new Scores(heldOut, loraSteps, evalExamples, tasks);
    }

    private static TrainingListener.Eval fineTune(Path base, SyntheticTasks.Task task, int steps, double lr,
                                                  int evalExamples) throws IOException {
        SyntheticTasks.Split split = SyntheticTasks.split(task);
        TrainingConfig config = TrainingConfig.builder().setSteps(steps).setLearningRate(lr).optBatchSize(16)
                .optWarmupSteps(Math.max(1, steps / 20)).optMaxLength(64).optSeed(0)
                .optEvalMaxExamples(evalExamples).build();
        return FineTune.builder().setBaseModel(base)
                .setSplit(new PromptCompletionDataset.Split(
                        new PromptCompletionDataset(SyntheticExamples.of(split.train())),
                        new PromptCompletionDataset(SyntheticExamples.of(split.eval()))))
                .setConfig(config).setMethod(MethodSpec.defaults(MethodSpec.Method.LORA, 8, 16f))
                .build().run().training().finalEval();
    }

    private static List<SyntheticTasks.Example> heldOut(SyntheticTasks.Task task, int limit) {
        List<SyntheticTasks.Example> eval = SyntheticTasks.split(task).eval();
        return eval.subList(0, Math.min(limit, eval.size()));
    }

    /** Greedy sixth items after five training inputs of the task, one prompt per group of five. */
    private static List<String> listContinuations(LlamaModel model, TextTokenizer tokenizer,
                                                  SyntheticTasks.Task task, int prompts) {
        List<SyntheticTasks.Example> train = SyntheticTasks.split(task).train();
        List<GenerationRequest> requests = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            List<String> seeds = train.subList(p * 5, p * 5 + 5).stream().map(SyntheticTasks.Example::prompt).toList();
            requests.add(GenerationRequest.greedy(tokenizer.encode(TransferPrompts.generation(seeds), true), 48)
                    .withStops(new int[] {tokenizer.eosId()}, List.of("\n")));
        }
        List<String> out = new ArrayList<>();
        for (GenerationResult r : new Generator(model, tokenizer).generateBatch(requests)) {
            String text = r.text();
            int newline = text.indexOf('\n');
            String item = (newline >= 0 ? text.substring(0, newline) : text).trim();
            out.add(item.length() > 60 ? item.substring(0, 60) + "…" : item);
        }
        return out;
    }
}
