package dev.adapterhub.engine.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.HostBatch;
import dev.adapterhub.engine.train.MaskedCrossEntropy;
import dev.adapterhub.engine.train.TokenizedExample;
import java.util.ArrayList;
import java.util.List;

/**
 * log p(completion | prompt) under a model as configured (its active adapters), summed over the completion's
 * tokens, teacher-forced, autograd off. Used to ask the discriminator "yes or no?" for inputs of any tokenizer,
 * where an answer may be several tokens.
 */
public final class CompletionLogProbs {

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final int batchSize;

    public CompletionLogProbs(LlamaModel model, TextTokenizer tokenizer, int batchSize) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batchSize = Math.max(1, batchSize);
    }

    /** One log-probability per prompt, of the same completion after each. */
    public double[] of(List<String> prompts, String completion) {
        int[] body = tokenizer.encode(completion, false);
        List<TokenizedExample> examples = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            examples.add(new TokenizedExample(tokenizer.encode(prompt, true), body));
        }
        double[] out = new double[prompts.size()];
        Devices.noGrad(() -> {
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<TokenizedExample> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
                score(chunk, out, from);
            }
            return null;
        });
        return out;
    }

    private void score(List<TokenizedExample> chunk, double[] out, int offset) {
        int longest = chunk.stream().mapToInt(TokenizedExample::length).max().orElse(2);
        HostBatch batch = HostBatch.collate(chunk, tokenizer.padId() < 0 ? 0 : tokenizer.padId(), longest);
        try (NDManager manager = model.manager().newSubManager()) {
            HostBatch.DeviceBatch db = batch.toDevice(manager, model.manager().getDevice());
            NDArray nll = MaskedCrossEntropy.tokenNll(model.forward(db.inputIds()), db.targets());
            float[] values = nll.mul(db.lossMask()).sum(new int[] {1}).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                out[offset + i] = -values[i];
            }
        }
    }
}
