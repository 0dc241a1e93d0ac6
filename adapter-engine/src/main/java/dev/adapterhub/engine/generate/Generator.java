package dev.adapterhub.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.CompiledStep;
import dev.adapterhub.engine.model.ForwardInput;
import dev.adapterhub.engine.model.KvCache;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autoregressive generation with a KV cache. A batch is left-padded; each row gets its own rotary positions
 * (starting at 0 at its first real token) and a key mask hiding the padding, so under greedy decoding a row
 * yields the same tokens batched as alone. Rows may name different adapters (multi-adapter batch).
 *
 * <p>Concurrent generations on one model are fine as long as no adapter is attached, detached, merged or fused
 * meanwhile.
 */
public final class Generator {

    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final int padId;

    /** Without a tokenizer: no text, no stop strings; pads with id 0. */
    public Generator(LlamaModel model) {
        this(model, null);
    }

    public Generator(LlamaModel model, TextTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = tokenizer == null || tokenizer.padId() < 0 ? 0 : tokenizer.padId();
    }

    public GenerationResult generate(GenerationRequest request) {
        return generateBatch(List.of(request)).get(0);
    }

    /**
     * Generates for all requests in one batch; results in request order. Runs with autograd off (restored after),
     * so trainable adapter arrays build no graphs.
     */
    public List<GenerationResult> generateBatch(List<GenerationRequest> requests) {
        return Devices.noGrad(() -> run(requests));
    }

    private List<GenerationResult> run(List<GenerationRequest> requests) {
        int b = requests.size();
        if (b == 0) {
            return List.of();
        }
        boolean perRow = false;
        for (GenerationRequest r : requests) {
            if (!r.stopStrings().isEmpty() && tokenizer == null) {
                throw new IllegalArgumentException("stop strings need a tokenizer");
            }
            for (int id : r.promptIds()) {
                if (id < 0 || id >= model.dims().vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary");
                }
            }
            perRow |= r.adapter() != null;
        }
        String[] rowAdapters = null;
        if (perRow) {
            rowAdapters = requests.stream().map(GenerationRequest::adapter).toArray(String[]::new);
        }
        int promptLen = requests.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        int maxNew = requests.stream().mapToInt(GenerationRequest::maxNewTokens).max().orElseThrow();

        long[][] ids = new long[b][promptLen];
        long[][] pos = new long[b][promptLen];
        long[][] mask = new long[b][promptLen];
        long[] nextPos = new long[b];
        Sampler[] samplers = new Sampler[b];
        List<List<Integer>> out = new ArrayList<>();
        FinishReason[] finish = new FinishReason[b];
        String[] texts = new String[b];
        for (int i = 0; i < b; i++) {
            GenerationRequest r = requests.get(i);
            int pad = promptLen - r.promptIds().length;
            Arrays.fill(ids[i], padId);
            for (int t = 0; t < r.promptIds().length; t++) {
                ids[i][pad + t] = r.promptIds()[t];
                pos[i][pad + t] = t;
                mask[i][pad + t] = 1;
            }
            nextPos[i] = r.promptIds().length;
            samplers[i] = new Sampler(r.temperature(), r.topP(), r.seed());
            out.add(new ArrayList<>());
        }

        // A batch without per-row adapters runs each step (the prompt, then one token at a time) as one compiled call
        // (ADR 16), with the model's attached LoRA, if any, passed in as factors.
        CompiledStep compiled = rowAdapters == null ? model.compiledStep().orElse(null) : null;
        try (NDManager gm = model.manager().newSubManager();
             KvCache cache = KvCache.create(model, gm)) {
            CompiledStep.Lora attached = compiled == null ? null : compiled.attachedLora(gm).orElse(null);
            if (attached == null) {
                compiled = null;
            }
            long[][] currentIds = ids;
            long[][] currentPos = pos;
            long[][] fullMask = mask;
            int[] live = new int[b]; // the request of each row still in the batch (and the cache)
            for (int i = 0; i < b; i++) {
                live[i] = i;
            }
            for (int step = 0; step < maxNew; step++) {
                float[][] logits;
                try (NDManager sm = gm.newSubManager()) {
                    NDArray result = null;
                    if (compiled != null) {
                        try {
                            // the prompt's mask is the whole row; later steps add one real token per row
                            result = compiled.forward(sm.create(currentIds), sm.create(currentPos),
                                    step == 0 ? sm.create(fullMask) : null, cache, attached);
                        } catch (RuntimeException e) {
                            model.compiledStepFailed(e);
                            compiled = null;
                        }
                    }
                    if (result == null) {
                        result = model.forward(ForwardInput.builder(sm.create(currentIds))
                                .positions(sm.create(currentPos))
                                .attentionMask(sm.create(fullMask))
                                .cache(cache)
                                .rowAdapters(rowAdapters)
                                .lastTokenOnly(true)
                                .build());
                    }
                    logits = HostLogits.rows(result);
                }
                boolean anyActive = false;
                long[][] nextIds = new long[live.length][1];
                int generating = 0;
                for (int k = 0; k < live.length; k++) {
                    int i = live[k];
                    nextIds[k][0] = padId;
                    if (finish[i] != null) {
                        continue;
                    }
                    GenerationRequest r = requests.get(i);
                    int token = samplers[i].next(logits[k]);
                    out.get(i).add(token);
                    nextIds[k][0] = token;
                    finish[i] = checkStop(r, out.get(i), texts, i);
                    if (finish[i] == null) {
                        anyActive = true;
                        generating++;
                    }
                }
                if (!anyActive) {
                    break;
                }
                if (generating <= live.length / 2) {
                    // Most rows are done (e.g. short answers beside one long one): later steps compute only the
                    // rows still generating. Halving at most log2(B) times bounds the cache copies this costs.
                    int[] keep = new int[generating];
                    for (int k = 0, n = 0; k < live.length; k++) {
                        if (finish[live[k]] == null) {
                            keep[n++] = k;
                        }
                    }
                    int dropped = (int) cache.retainRows(Arrays.stream(keep).asLongStream().toArray());
                    int[] kept = new int[generating];
                    long[][] keptIds = new long[generating][];
                    long[][] keptMask = new long[generating][];
                    String[] keptAdapters = rowAdapters == null ? null : new String[generating];
                    for (int n = 0; n < generating; n++) {
                        kept[n] = live[keep[n]];
                        keptIds[n] = nextIds[keep[n]];
                        keptMask[n] = Arrays.copyOfRange(fullMask[keep[n]], dropped, fullMask[keep[n]].length);
                        if (keptAdapters != null) {
                            keptAdapters[n] = rowAdapters[keep[n]];
                        }
                    }
                    live = kept;
                    nextIds = keptIds;
                    fullMask = keptMask;
                    rowAdapters = keptAdapters;
                }
                currentIds = nextIds;
                currentPos = new long[live.length][1];
                long[][] grown = new long[live.length][];
                for (int k = 0; k < live.length; k++) {
                    currentPos[k][0] = nextPos[live[k]]++;
                    grown[k] = Arrays.copyOf(fullMask[k], fullMask[k].length + 1);
                    grown[k][fullMask[k].length] = 1;
                }
                fullMask = grown;
            }
        }
        List<GenerationResult> results = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int[] tokens = out.get(i).stream().mapToInt(Integer::intValue).toArray();
            String text = texts[i];
            if (text == null && tokenizer != null) {
                text = tokenizer.decode(tokens);
            }
            results.add(new GenerationResult(tokens, text, finish[i] == null ? FinishReason.LENGTH : finish[i],
                    requests.get(i).promptIds().length));
        }
        return results;
    }

    private FinishReason checkStop(GenerationRequest r, List<Integer> generated, String[] texts, int row) {
        StopCheck.Outcome o = StopCheck.check(r.stopTokenIds(), r.stopStrings(), r.maxNewTokens(), generated,
                tokenizer);
        if (o == null) {
            return null;
        }
        if (o.reason() == FinishReason.STOP_STRING) {
            texts[row] = o.text();
        }
        return o.reason();
    }
}
