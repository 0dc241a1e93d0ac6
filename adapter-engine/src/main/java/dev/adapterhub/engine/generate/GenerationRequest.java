package dev.adapterhub.engine.generate;

import java.util.List;

/**
 * One prompt to continue.
 *
 * @param promptIds     token ids (non-empty), BOS included if the model expects one
 * @param maxNewTokens  upper bound on generated tokens (>= 1)
 * @param temperature   0 = greedy (argmax); > 0 = sampling from softmax(logits / temperature)
 * @param topP          nucleus sampling mass in (0, 1]; 1 = no nucleus cut (ignored when greedy)
 * @param seed          sampling seed (same seed, same tokens)
 * @param stopTokenIds  generation stops after producing one of these (typically EOS)
 * @param stopStrings   generation stops when the decoded text contains one (needs a tokenizer)
 * @param adapter       adapter for this row: a name attached to the model's linears, {@code ""}
 *                      ({@link dev.adapterhub.engine.model.ForwardContext#BASE}) for the base weights only, or
 *                      null for the model as configured (its active adapters). Rows of one batch may differ.
 */
public record GenerationRequest(int[] promptIds, int maxNewTokens, float temperature, float topP, long seed,
                                int[] stopTokenIds, List<String> stopStrings, String adapter) {

    public GenerationRequest {
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("prompt must have at least one token");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1");
        }
        if (temperature < 0 || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1]");
        }
        promptIds = promptIds.clone();
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }

    /** Greedy decoding without stop conditions. */
    public static GenerationRequest greedy(int[] promptIds, int maxNewTokens) {
        return new GenerationRequest(promptIds, maxNewTokens, 0f, 1f, 0L, null, null, null);
    }

    public GenerationRequest withAdapter(String name) {
        return new GenerationRequest(promptIds, maxNewTokens, temperature, topP, seed, stopTokenIds, stopStrings, name);
    }

    public GenerationRequest withSampling(float temp, float nucleus, long samplingSeed) {
        return new GenerationRequest(promptIds, maxNewTokens, temp, nucleus, samplingSeed, stopTokenIds, stopStrings,
                adapter);
    }

    public GenerationRequest withStops(int[] tokenIds, List<String> strings) {
        return new GenerationRequest(promptIds, maxNewTokens, temperature, topP, seed, tokenIds, strings, adapter);
    }
}
