package dev.adapterhub.worker.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.FineTuneResult;
import dev.adapterhub.engine.transfer.SyntheticInputs;
import dev.adapterhub.engine.transfer.TransLora;
import dev.adapterhub.engine.transfer.TransferEvaluation;
import dev.adapterhub.registry.client.model.Completion;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.registry.client.model.TrainingJobClaim;
import dev.adapterhub.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a TRANSFER job (issue 10, ADR 10): the target base writes inputs from the seed prompt, the kit's
 * discriminator keeps the ones that look like the task, the source base with the source adapter labels them, and
 * a fresh adapter of the job's method learns them on the target base. When the target has the source base's
 * shapes, the source adapter copied as it is is tried first and published if it holds up. The original dataset
 * is never read. The labelled set rides along in every checkpoint, so a resumed attempt does not synthesise again.
 */
@ApplicationScoped
public class EngineTransfer {

    /** Name of the labelled synthetic set, in the work directory and in each checkpoint. */
    static final String SYNTHETIC_FILE = "synthetic.jsonl";
    /** How the synthesis went (generations, candidates, acceptance rate), carried beside the labelled set. */
    static final String SYNTHESIS_STATS_FILE = "synthesis.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Split names of the transfer's evaluation set in the published metrics: which one the gate compared on. */
    static final String EVAL_SPLIT = "seeds-and-synthetic-holdout";
    static final String REGISTERED_SPLIT = "registered-evaluation-set";
    /** The phase name a transfer reports while it writes and labels synthetic inputs. */
    static final String SYNTHESIS_PHASE = "synthesis";

    private final EngineRuntime runtime;
    private final WorkerConfig.Transfer config;

    public EngineTransfer(EngineRuntime runtime, WorkerConfig config) {
        this.runtime = runtime;
        this.config = config.transfer();
    }

    /**
     * Local files of one TRANSFER attempt.
     *
     * @param discriminator the kit's discriminator, or null (then every input is kept: the unfiltered rung)
     * @param seeds         the kit's seed examples, in order
     * @param evaluationSet the adapter's registered evaluation set (JSONL), or null (then: the seeds and a held-out
     *                      slice of the labelled synthetic set)
     * @param resumeFrom    a downloaded checkpoint to continue from, or null
     */
    public record Inputs(Path targetBase, Path sourceBase, Path sourceAdapter, Path discriminator,
                         List<TrainingJobClaim.SeedExample> seeds, Path evaluationSet, Path resumeFrom,
                         Path workDir) {
    }

    public Completion transfer(Job job, Inputs inputs, JobProgress progress) throws IOException {
        // every model of the transfer (synthesis, the three scores, distillation) on this worker's device, in the
        // job's base dtype
        Placement where = runtime.placement(TrainingPlan.baseDataType(job));
        Job.Transfer transfer = job.transfer();
        Path work = Files.createDirectories(inputs.workDir());
        List<PromptCompletion> seedExamples = inputs.seeds().stream()
                .map(s -> new PromptCompletion(s.prompt(), s.completion())).toList();
        Labelled synthesised = labelled(job, inputs, where, progress);
        List<PromptCompletion> labelled = synthesised.examples();
        List<PromptCompletion> train;
        List<PromptCompletion> eval;
        String split;
        if (inputs.evaluationSet() != null) {
            // Real labels the team kept: every synthetic example can train, and the gate compares on the real set.
            List<PromptCompletion> registered = PromptCompletionDataset.read(inputs.evaluationSet()).examples();
            eval = registered.subList(0, Math.min(registered.size(), config.maxEvaluationExamples()));
            train = labelled;
            split = REGISTERED_SPLIT;
            progress.phase("Evaluating on " + eval.size() + " examples of the registered evaluation set ("
                    + registered.size() + " in it): the source adapter on its base, and the target base alone");
        } else {
            int holdout = labelled.isEmpty() ? 0 : Math.max(1, (int) Math.round(labelled.size()
                    * config.holdoutFraction()));
            train = labelled.subList(0, labelled.size() - holdout);
            eval = new ArrayList<>(seedExamples);
            eval.addAll(labelled.subList(labelled.size() - holdout, labelled.size()));
            split = EVAL_SPLIT;
            progress.phase("Evaluating on " + eval.size() + " examples (" + inputs.seeds().size() + " seeds + "
                    + holdout + " held-out synthetic): the source adapter on its base, and the target base alone");
        }
        if (eval.isEmpty()) {
            throw new IllegalArgumentException("nothing to evaluate a transfer on: no evaluation set, the kit has no "
                    + "seed examples and no synthetic input was kept");
        }

        double source = TransferEvaluation.score(inputs.sourceBase(), inputs.sourceAdapter(), eval, where)
                .exactMatch();
        double targetBase = TransferEvaluation.score(inputs.targetBase(), null, eval, where).exactMatch();
        List<Completion.Metric> metrics = new ArrayList<>();
        metrics.add(new Completion.Metric("transfer_source_exact_match", source, split, null));
        metrics.add(new Completion.Metric("transfer_target_base_exact_match", targetBase, split, null));
        metrics.add(new Completion.Metric("transfer_synthetic_examples", labelled.size(), "synthetic", null));
        if (synthesised.stats() != null) {
            SynthesisStats stats = synthesised.stats();
            metrics.add(new Completion.Metric("transfer_generations", stats.generated(), "synthetic", null));
            metrics.add(new Completion.Metric("transfer_candidates", stats.candidates(), "synthetic", null));
            metrics.add(new Completion.Metric("transfer_acceptance_rate", stats.acceptanceRate(), "synthetic", null));
        }

        Double copy = null;
        if (transfer.copyFirst() && transfer.sameShapes()) {
            copy = TransferEvaluation.score(inputs.targetBase(), inputs.sourceAdapter(), eval, where).exactMatch();
            metrics.add(new Completion.Metric("transfer_copy_exact_match", copy, split, null));
            // The registry's gate rule with the job's margin: a copy that would pass the gate is published as it is.
            boolean holds = copy >= source - transfer.gateMargin() && copy > targetBase;
            progress.phase(String.format(Locale.ROOT, "Copy rung: the source adapter on the new base scores %.3f "
                    + "(source %.3f, target base %.3f): %s", copy, source, targetBase,
                    holds ? "published as it is" : train.isEmpty() ? "no synthetic data to distil on; published "
                            + "as it is for review" : "distilling instead"));
            if (holds || train.isEmpty()) {
                Path adapterDir = Files.createDirectories(work.resolve("adapter"));
                for (String file : Completion.ADAPTER_FILES) {
                    Files.copy(inputs.sourceAdapter().resolve(file), adapterDir.resolve(file),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                metrics.add(new Completion.Metric("eval_exact_match", copy, split, null));
                return Completion.transfer(adapterDir, metrics, null, "COPY");
            }
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no synthetic input was kept and labelled, and the copy rung does not "
                    + "apply (other shapes or copyFirst false): nothing to distil on");
        }

        Path adapterDir = work.resolve("adapter");
        progress.phase("Distilling into a " + job.method() + " adapter on " + where.device() + ", base weights "
                + where.dtype().name());
        FineTune.Builder recipe = FineTune.builder()
                .setBaseModel(inputs.targetBase())
                .optDevice(where.device())
                .optBaseDataType(where.dtype())
                .setSplit(new PromptCompletionDataset.Split(new PromptCompletionDataset(train),
                        new PromptCompletionDataset(eval)))
                .setConfig(TrainingPlan.config(job, runtime.compiledForward()))
                .setMethod(TrainingPlan.method(job))
                .optCheckpointDirectory(work.resolve("checkpoints"))
                .optListener(new ProgressBridge(new CarryingSyntheticSet(progress, work.resolve(SYNTHETIC_FILE))))
                .optExport(adapterDir, job.baseModel().name());
        if (inputs.resumeFrom() != null) {
            recipe.optResumeFrom(inputs.resumeFrom());
        }
        FineTuneResult result = recipe.build().run();
        // Scored like the source and the target base, on the whole evaluation set: the training's own evaluation
        // sees at most its first evalMaxExamples, and the gate must compare like with like.
        progress.phase("Evaluating the transferred adapter on the same " + eval.size() + " examples");
        double transferred = TransferEvaluation.score(inputs.targetBase(), adapterDir, eval, where).exactMatch();
        metrics.add(new Completion.Metric("eval_exact_match", transferred, split, result.training().steps()));
        TrainingListener.Eval last = result.finalEval();
        if (last != null) {
            metrics.add(new Completion.Metric("eval_loss", last.loss(), split, last.step()));
        }
        return Completion.transfer(adapterDir, metrics, train.size(),
                inputs.discriminator() != null ? "TRANS_LORA" : "TRANS_LORA_UNFILTERED");
    }

    /** How a synthesis went; {@code acceptanceRate} is the filter's accepted share of distinct candidates. */
    record SynthesisStats(int generated, int candidates, int accepted, double acceptanceRate, boolean filtered) {
    }

    /** The labelled synthetic set and, when known, how its synthesis went. */
    private record Labelled(List<PromptCompletion> examples, SynthesisStats stats) {
    }

    /** The labelled synthetic set: from the checkpoint being resumed, else synthesised now. */
    private Labelled labelled(Job job, Inputs inputs, Placement where, JobProgress progress) throws IOException {
        Path file = inputs.workDir().resolve(SYNTHETIC_FILE);
        Path statsFile = inputs.workDir().resolve(SYNTHESIS_STATS_FILE);
        Path carried = inputs.resumeFrom() == null ? null : inputs.resumeFrom().resolve(SYNTHETIC_FILE);
        if (carried != null && Files.exists(carried)) {
            Files.copy(carried, file, StandardCopyOption.REPLACE_EXISTING);
            Path carriedStats = inputs.resumeFrom().resolve(SYNTHESIS_STATS_FILE);
            SynthesisStats stats = null;
            if (Files.exists(carriedStats)) {
                Files.copy(carriedStats, statsFile, StandardCopyOption.REPLACE_EXISTING);
                stats = JSON.readValue(statsFile.toFile(), SynthesisStats.class);
            }
            List<PromptCompletion> labelled = PromptCompletionDataset.read(file).examples();
            progress.phase("Resumed with the checkpoint's " + labelled.size() + " labelled synthetic examples");
            return new Labelled(labelled, stats);
        }
        Job.Transfer transfer = job.transfer();
        List<String> seeds = inputs.seeds().stream().map(TrainingJobClaim.SeedExample::prompt).toList();
        if (seeds.isEmpty()) {
            new PromptCompletionDataset(List.of()).write(file);
            return new Labelled(List.of(), null);
        }
        progress.phase(String.format(Locale.ROOT, "Synthesising %d inputs: %s writes them from %d seeds, %s, and "
                + "the source adapter labels them", transfer.goal(), job.baseModel().name(), seeds.size(),
                inputs.discriminator() != null ? "the kit's discriminator filters them" : "unfiltered (no discriminator)"));
        SyntheticInputs.Settings defaults = SyntheticInputs.Settings.defaults();
        TransLora.Settings forGoal = TransLora.Settings.forGoal(transfer.goal(), TrainingPlan.splitSeed(job));
        TransLora.Settings settings = new TransLora.Settings(forGoal.goal(), forGoal.maxGenerations(),
                new SyntheticInputs.Settings(config.temperature(), defaults.topP(), defaults.maxNewTokens(),
                        defaults.batchSize()), forGoal.teacherMaxTokens(), forGoal.batchSize(), forGoal.seed());
        TransLora.Synthesis synthesis = TransLora.synthesize(new TransLora.Source(inputs.sourceBase(),
                inputs.sourceAdapter(), inputs.discriminator(), seeds, transfer.taskName()), inputs.targetBase(),
                settings, (generated, kept, goal) -> progress.phaseProgress(SYNTHESIS_PHASE, kept, goal,
                        String.format(Locale.ROOT, "Synthesis: %d generations, %d of %d inputs kept", generated, kept,
                                goal)), where);
        progress.phase(String.format(Locale.ROOT, "Synthesis done: %d generations, %d distinct inputs, %d accepted "
                        + "(acceptance rate %.2f), %d labelled", synthesis.generated(), synthesis.candidates(),
                synthesis.accepted(), synthesis.acceptanceRate(), synthesis.labelled().size()));
        new PromptCompletionDataset(synthesis.labelled()).write(file);
        SynthesisStats stats = new SynthesisStats(synthesis.generated(), synthesis.candidates(), synthesis.accepted(),
                synthesis.acceptanceRate(), synthesis.filtered());
        JSON.writeValue(statsFile.toFile(), stats);
        return new Labelled(synthesis.labelled(), stats);
    }

    /** Puts the labelled set into each checkpoint before it is uploaded, so a resumed attempt reuses it. */
    private record CarryingSyntheticSet(JobProgress delegate, Path syntheticFile) implements JobProgress {

        @Override
        public void started(Started started) {
            delegate.started(started);
        }

        @Override
        public void stepped(Step step) {
            delegate.stepped(step);
        }

        @Override
        public void evaluated(double loss, double exactMatch) {
            delegate.evaluated(loss, exactMatch);
        }

        @Override
        public void checkpointed(int step, Path directory) {
            try {
                Files.copy(syntheticFile, directory.resolve(SYNTHETIC_FILE), StandardCopyOption.REPLACE_EXISTING);
                Path stats = syntheticFile.resolveSibling(SYNTHESIS_STATS_FILE);
                if (Files.exists(stats)) {
                    Files.copy(stats, directory.resolve(SYNTHESIS_STATS_FILE), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not add the synthetic set to checkpoint " + step, e);
            }
            delegate.checkpointed(step, directory);
        }

        @Override
        public void trained() {
            delegate.trained();
        }

        @Override
        public void phase(String message) {
            delegate.phase(message);
        }

        @Override
        public void phaseProgress(String phase, int done, int total, String message) {
            delegate.phaseProgress(phase, done, total, message);
        }
    }
}
