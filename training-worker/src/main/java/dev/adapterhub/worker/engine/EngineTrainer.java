package dev.adapterhub.worker.engine;

import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.FineTuneResult;
import dev.adapterhub.registry.client.model.Completion;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains one claimed job with the engine's fine-tune recipe and returns what the registry publishes: the exported
 * adapter, its metrics and the transfer kit (seed examples from the training data and a discriminator). The only worker class that runs the engine.
 */
@ApplicationScoped
public class EngineTrainer {

    private final EngineRuntime runtime;
    private final WorkerConfig config;
    private final TransferKitMaker kits;

    public EngineTrainer(EngineRuntime runtime, WorkerConfig config, TransferKitMaker kits) {
        this.runtime = runtime;
        this.config = config;
        this.kits = kits;
    }

    /**
     * Local files of one attempt.
     *
     * @param baseModel  the base model's directory
     * @param dataset    the JSONL dataset
     * @param resumeFrom a downloaded checkpoint to continue from ({@link #resumeDirectory}), or null
     * @param workDir    the attempt's scratch directory (checkpoints and the exported adapter go below it)
     */
    public record Inputs(Path baseModel, Path dataset, Path resumeFrom, Path workDir) {
    }

    /** Where to download the checkpoint of {@code step} steps so the engine can resume from it. */
    public static Path resumeDirectory(Path workDir, int step) {
        return TrainingJob.checkpointPath(workDir.resolve("resume"), step);
    }

    /**
     * Trains, reporting to {@code progress} (which may stop the run by throwing), exports the adapter to
     * {@code workDir/adapter} and, unless the job opted out, makes the transfer kit's discriminator in
     * {@code workDir/discriminator}.
     */
    public Completion train(Job job, Inputs inputs, JobProgress progress) throws IOException {
        Path adapterDir = inputs.workDir().resolve("adapter");
        Placement where = runtime.placement(TrainingPlan.baseDataType(job));
        progress.phase("Training " + job.method() + " on " + where.device() + ", base weights "
                + where.dtype().name());
        // Split here, once, so the kit's discriminator learns from exactly the inputs the adapter trained on.
        PromptCompletionDataset.Split split = PromptCompletionDataset.read(inputs.dataset())
                .split(TrainingPlan.evalFraction(job), TrainingPlan.splitSeed(job));
        FineTune.Builder recipe = FineTune.builder()
                .setBaseModel(inputs.baseModel())
                .optDevice(where.device())
                .optBaseDataType(where.dtype())
                .setSplit(split)
                .setConfig(TrainingPlan.config(job, runtime.compiledForward()))
                .setMethod(TrainingPlan.method(job))
                .optCheckpointDirectory(inputs.workDir().resolve("checkpoints"))
                .optListener(new ProgressBridge(progress))
                .optExport(adapterDir, job.baseModel().name())
                .optSeedExamples(config.maxSeedExamples());
        if (inputs.resumeFrom() != null) {
            recipe.optResumeFrom(inputs.resumeFrom());
        }
        FineTuneResult result = recipe.build().run();
        int trainingExamples = split.train().size();
        if (!job.makesTransferKit()) {
            return new Completion(adapterDir, metrics(result.training()), List.of(), trainingExamples, null);
        }
        List<String> seeds = result.seedExamples().stream().map(PromptCompletion::prompt).toList();
        List<String> realInputs = split.train().examples().stream().map(PromptCompletion::prompt).toList();
        Completion.Kit kit = kits.make(inputs.baseModel(), job.baseModel().name(), realInputs, seeds,
                job.transferKit() == null ? job.adapterName() : job.transferKit().taskName(),
                TrainingPlan.splitSeed(job), where, inputs.workDir().resolve("discriminator"), progress);
        return new Completion(adapterDir, metrics(result.training()), seedExamples(result.seedExamples()),
                trainingExamples, kit);
    }

    private static List<Completion.Metric> metrics(TrainingResult result) {
        List<Completion.Metric> metrics = new ArrayList<>();
        if (!result.losses().isEmpty()) {
            metrics.add(new Completion.Metric("train_loss", result.losses().get(result.losses().size() - 1), "train",
                    result.steps()));
        }
        TrainingListener.Eval eval = result.finalEval();
        if (eval != null) {
            metrics.add(new Completion.Metric("eval_loss", eval.loss(), "eval", eval.step()));
            metrics.add(new Completion.Metric("eval_exact_match", eval.exactMatch(), "eval", eval.step()));
        }
        return metrics;
    }

    private static List<Completion.SeedExample> seedExamples(List<PromptCompletion> examples) {
        return examples.stream().map(e -> new Completion.SeedExample(e.prompt(), e.completion())).toList();
    }
}
