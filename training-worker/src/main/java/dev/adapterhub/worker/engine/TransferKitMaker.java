package dev.adapterhub.worker.engine;

import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.transfer.DiscriminatorTrainer;
import dev.adapterhub.engine.transfer.SyntheticInputs;
import dev.adapterhub.registry.client.model.Completion;
import dev.adapterhub.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Makes the discriminator of a job's transfer kit while its training data still exists (issue 10, ADR 10): the
 * job's base model writes inputs from the seed prompt, and a LoRA on that base learns to tell them from the job's
 * real training inputs.
 */
@ApplicationScoped
public class TransferKitMaker {

    private static final Logger LOG = Logger.getLogger(TransferKitMaker.class);

    private final WorkerConfig.TransferKit config;

    public TransferKitMaker(WorkerConfig config) {
        this.config = config.transferKit();
    }

    /**
     * @param realInputs the prompts of the job's training split
     * @param seeds      the prompts of the kit's seed examples, in order
     * @param seed       the job's seed, so a retried attempt makes the same discriminator
     * @param where      the job's device and base dtype
     * @return the kit, or why it has no discriminator (a base model that never finishes a line writes no inputs)
     */
    public Completion.Kit make(Path baseModel, String baseModelName, List<String> realInputs, List<String> seeds,
                               String taskName, long seed, Placement where, Path outDir, JobProgress progress)
            throws IOException {
        if (seeds.isEmpty()) {
            return Completion.Kit.missing("the job kept no seed examples to prompt the base model with");
        }
        progress.phase(String.format(Locale.ROOT, "Making the transfer kit: the base model writes up to "
                + "%d inputs from %d seeds, then a discriminator for task '%s' trains %d steps",
                Math.min(config.maxRealInputs(), realInputs.size()), seeds.size(), taskName, config.steps()));
        SyntheticInputs.Settings defaults = SyntheticInputs.Settings.defaults();
        DiscriminatorTrainer.Settings settings = new DiscriminatorTrainer.Settings(config.maxRealInputs(),
                config.steps(), config.learningRate(), new SyntheticInputs.Settings(config.temperature(),
                defaults.topP(), defaults.maxNewTokens(), defaults.batchSize()), seed);
        DiscriminatorTrainer.Outcome outcome;
        try {
            outcome = DiscriminatorTrainer.train(baseModel, baseModelName, where, realInputs, seeds,
                    taskName, settings, outDir);
        } catch (DiscriminatorTrainer.TooFewInputsException e) {
            LOG.infof("no discriminator for task '%s': %s", taskName, e.getMessage());
            return Completion.Kit.missing(e.getMessage());
        }
        progress.phase(String.format(Locale.ROOT, "Transfer kit ready: the discriminator calls %.0f%% "
                        + "of held-out real inputs real and %.0f%% of generated ones generated",
                100 * outcome.accuracyOnReal(), 100 * outcome.accuracyOnGenerated()));
        return new Completion.Kit(outDir, outcome.realInputs(), outcome.generatedInputs(), outcome.accuracyOnReal(),
                outcome.accuracyOnGenerated(), null);
    }
}
