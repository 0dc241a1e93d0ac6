package dev.adapterhub.engine.transfer;

import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.AttachedAdapter;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Steps 1-3 of Trans-LoRA (ADR 10): the target base writes candidate inputs from the numbered seeds, the
 * discriminator on the source base keeps the realistic ones, and the source base with the source adapter labels
 * them. Step 4, training the new adapter on the target base, is an ordinary fine-tune on the result. Without a
 * discriminator every well-formed candidate is kept (the "unfiltered" ablation, or a kit without one).
 */
public final class TransLora {

    /**
     * @param sourceBase    the old base model's directory
     * @param sourceAdapter the adapter to move (PEFT directory)
     * @param discriminator the kit's discriminator (PEFT LoRA on the source base), or null to keep every input
     * @param seeds         the kit's seed inputs (prompts)
     * @param taskName      the kit's task name, as in the discriminator's prompt
     */
    public record Source(Path sourceBase, Path sourceAdapter, Path discriminator, List<String> seeds,
                         String taskName) {
    }

    /**
     * @param goal             kept inputs wanted (the source job's training-set size, or a configured count)
     * @param maxGenerations   generations at most, whatever was kept
     * @param generation       sampling settings of the target base
     * @param teacherMaxTokens answer length at most; longer answers are dropped
     * @param batchSize        rows per generation or scoring batch
     * @param seed             generation seed
     */
    public record Settings(int goal, int maxGenerations, SyntheticInputs.Settings generation, int teacherMaxTokens,
                           int batchSize, long seed) {

        public Settings {
            if (goal < 1 || maxGenerations < goal) {
                throw new IllegalArgumentException("goal must be >= 1 and maxGenerations >= goal");
            }
        }

        /** Generations capped at 8x the goal. */
        public static Settings forGoal(int goal, long seed) {
            return new Settings(goal, 8 * goal, SyntheticInputs.Settings.defaults(), 64, 32, seed);
        }
    }

    /** Reports while it runs; generation dominates the time. */
    public interface Progress {
        void onCandidates(int generated, int kept, int goal);
    }

    /**
     * The labelled synthetic set.
     *
     * @param generated  generations run
     * @param lines      generations that produced an input (a line)
     * @param candidates distinct inputs among them, each judged once
     * @param accepted   candidates the discriminator kept (all of them without one)
     * @param labelled   accepted inputs up to the goal, with the teacher's answers (unanswered ones dropped)
     */
    public record Synthesis(int generated, int lines, int candidates, int accepted, boolean filtered,
                            List<PromptCompletion> labelled) {

        /** The filter's acceptance rate: accepted share of the distinct candidates. */
        public double acceptanceRate() {
            return candidates == 0 ? 0 : (double) accepted / candidates;
        }
    }

    private TransLora() {
    }

    /** {@link #synthesize(Source, Path, Settings, Progress, Placement)} on {@link Placement#preferred()}. */
    public static Synthesis synthesize(Source source, Path targetBase, Settings settings, Progress progress)
            throws IOException {
        return synthesize(source, targetBase, settings, progress, Placement.preferred());
    }

    /** Writes, filters and labels synthetic inputs; both base models are loaded {@code where}. */
    public static Synthesis synthesize(Source source, Path targetBase, Settings settings, Progress progress,
                                       Placement where) throws IOException {
        List<String> kept = new ArrayList<>();
        int generated = 0;
        int lines = 0;
        int candidates = 0;
        try (LlamaModel target = where.load(targetBase); TextTokenizer targetTokenizer = TextTokenizer.load(targetBase);
             LlamaModel sourceModel = where.load(source.sourceBase());
             TextTokenizer sourceTokenizer = TextTokenizer.load(source.sourceBase())) {
            SyntheticInputs writer = new SyntheticInputs(target, targetTokenizer, settings.generation());
            Set<String> seen = new HashSet<>();
            while (kept.size() < settings.goal() && generated < settings.maxGenerations()) {
                int batch = Math.min(settings.batchSize() * 4, settings.maxGenerations() - generated);
                List<String> fresh = new ArrayList<>();
                for (String x : writer.generate(source.seeds(), settings.seed() + generated, batch)) {
                    if (x != null) {
                        lines++;
                        if (seen.add(x)) {
                            fresh.add(x);
                        }
                    }
                }
                generated += batch;
                candidates += fresh.size();
                kept.addAll(accept(source, sourceModel, sourceTokenizer, fresh, settings.batchSize()));
                progress.onCandidates(generated, Math.min(kept.size(), settings.goal()), settings.goal());
            }
            List<String> inputs = kept.subList(0, Math.min(kept.size(), settings.goal()));
            try (AttachedAdapter ignored = AttachedAdapter.attach(sourceModel, source.sourceAdapter(), "teacher")) {
                List<PromptCompletion> labelled = new Teacher(sourceModel, sourceTokenizer, settings.teacherMaxTokens(),
                        settings.batchSize()).label(inputs);
                return new Synthesis(generated, lines, candidates, kept.size(), source.discriminator() != null,
                        labelled);
            }
        }
    }

    private static List<String> accept(Source source, LlamaModel sourceModel, TextTokenizer tokenizer,
                                       List<String> inputs, int batchSize) throws IOException {
        if (source.discriminator() == null || inputs.isEmpty()) {
            return inputs;
        }
        try (AttachedAdapter ignored = AttachedAdapter.attach(sourceModel, source.discriminator(), "discriminator")) {
            return new Discriminator(sourceModel, tokenizer, source.taskName(), batchSize).judge(inputs).stream()
                    .filter(Discriminator.Verdict::real).map(Discriminator.Verdict::input).toList();
        }
    }
}
