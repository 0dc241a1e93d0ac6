package dev.adapterhub.engine.transfer;

import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Trans-LoRA's filter: a LoRA on the source base that answers {@link TransferPrompts#YES} after
 * {@link TransferPrompts#discriminator} for real task inputs and {@link TransferPrompts#NO} for inputs the base
 * generated. Its training examples are made here; the training itself is an ordinary fine-tune. At transfer
 * time it keeps an input when log p(yes) > log p(no), comparing whole answers, so multi-token answers of any
 * tokenizer are compared fairly.
 */
public final class Discriminator {

    /** One input's verdict. */
    public record Verdict(String input, double logYes, double logNo) {

        public boolean real() {
            return logYes > logNo;
        }
    }

    private final CompletionLogProbs logProbs;
    private final String taskName;

    /** Scores with {@code model} as configured: the source base with the discriminator LoRA active. */
    public Discriminator(LlamaModel model, TextTokenizer tokenizer, String taskName, int batchSize) {
        this.logProbs = new CompletionLogProbs(model, tokenizer, batchSize);
        this.taskName = taskName;
    }

    public List<Verdict> judge(List<String> inputs) {
        List<String> prompts = inputs.stream().map(x -> TransferPrompts.discriminator(x, taskName)).toList();
        double[] yes = logProbs.of(prompts, TransferPrompts.YES);
        double[] no = logProbs.of(prompts, TransferPrompts.NO);
        List<Verdict> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            out.add(new Verdict(inputs.get(i), yes[i], no[i]));
        }
        return out;
    }

    /**
     * Balanced training examples: every real input labelled yes and as many generated ones labelled no (generated
     * inputs that equal a real one are dropped: they are not evidence of anything), shuffled with the seed.
     */
    public static List<PromptCompletion> trainingExamples(List<String> real, List<String> generated, String taskName,
                                                          long seed) {
        Set<String> realSet = new HashSet<>(real);
        List<String> fake = generated.stream().filter(x -> x != null && !realSet.contains(x)).toList();
        if (real.isEmpty() || fake.isEmpty()) {
            throw new IllegalArgumentException("a discriminator needs real and generated inputs, got " + real.size()
                    + " and " + fake.size());
        }
        int n = Math.min(real.size(), fake.size());
        List<PromptCompletion> out = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            out.add(new PromptCompletion(TransferPrompts.discriminator(real.get(i), taskName), TransferPrompts.YES));
            out.add(new PromptCompletion(TransferPrompts.discriminator(fake.get(i), taskName), TransferPrompts.NO));
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}
