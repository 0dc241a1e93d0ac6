package dev.adapterhub.engine.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How each of the project's shipped base models is made: the random initial checkpoint (shape and seed), the
 * tokenizer (byte-level, with BPE merges learned from the corpus for the other family), the pretraining corpus
 * ({@link PretrainingCorpus}, one pass, its own seed) and the optimiser settings. The engine's {@code pretrain}
 * command turns a recipe into a checkpoint; the same recipe on the same machine gives the same bytes.
 *
 * @param name          base model name in the registry
 * @param revision      revision in the registry
 * @param spec          shape and initial-weight seed ({@code vocab} includes the merges)
 * @param merges        BPE merges learned from the corpus; 0 = one token per byte
 * @param steps         optimiser steps; the corpus has {@code steps x batchSize} documents, each seen once
 * @param batchSize     documents per step
 * @param learningRate  peak learning rate (cosine to a tenth, 5 % warmup, AdamW)
 * @param maxLength     tokens per document at most (longer ones lose their start)
 * @param corpusSeed    seed of the corpus
 * @param trainingSeed  seed of batch order
 * @param summary       one line for the model card
 */
public record BaseModelRecipe(String name, String revision, TinyLlamaSpec spec, int merges, int steps,
                              int batchSize, double learningRate, int maxLength, long corpusSeed, long trainingSeed,
                              String summary) {

    /** The tour's base: 4 layers, width 128, one token per byte. */
    public static final BaseModelRecipe TINY_LLAMA_V1 = new BaseModelRecipe("tiny-llama", "v1",
            TinyLlamaSpec.tiny().withSize(4, 128, 256, 4, 2, ByteLevelTokenizerJson.VOCAB_SIZE).withSeed(1234),
            0, 1200, 32, 3e-3, 160, 99, 7,
            "the first revision: 4 layers, width 128, byte-level tokenizer");

    /** Its upgrade, as a real one differs: deeper and wider, trained longer, other seeds. */
    public static final BaseModelRecipe TINY_LLAMA_V2 = new BaseModelRecipe("tiny-llama", "v2",
            TinyLlamaSpec.tiny().withSize(5, 160, 384, 4, 2, ByteLevelTokenizerJson.VOCAB_SIZE).withSeed(5678),
            0, 1600, 32, 3e-3, 160, 199, 17,
            "the upgrade: 5 layers, width 160, same byte-level tokenizer, a third more pretraining, other seeds");

    /** Another family: other shape, tied embeddings and its own BPE vocabulary. */
    public static final BaseModelRecipe TINY_BPE_V1 = new BaseModelRecipe("tiny-bpe", "v1",
            TinyLlamaSpec.tiny().withSize(3, 192, 384, 6, 3, ByteLevelTokenizerJson.VOCAB_SIZE + 253)
                    .withTiedEmbeddings(true).withSeed(4321),
            253, 1200, 32, 3e-3, 96, 299, 27,
            "another family: 3 layers, width 192, tied embeddings, a 512-token BPE vocabulary");

    public static List<BaseModelRecipe> all() {
        return List.of(TINY_LLAMA_V1, TINY_LLAMA_V2, TINY_BPE_V1);
    }

    /** The recipe called {@code name-revision}, e.g. {@code tiny-llama-v1}. */
    public static BaseModelRecipe byId(String id) {
        return all().stream().filter(r -> r.id().equals(id.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown base model recipe " + id + "; known: "
                        + all().stream().map(BaseModelRecipe::id).toList()));
    }

    public String id() {
        return name + "-" + revision;
    }

    /** The pretraining documents. */
    public List<String> corpus() {
        return PretrainingCorpus.documents(steps * batchSize, corpusSeed);
    }

    /** Writes the random initial checkpoint and the tokenizer into {@code dir}. */
    public void writeInitialCheckpoint(Path dir) throws IOException {
        TinyLlamaGenerator.generate(spec, dir);
        if (merges > 0) {
            List<String> learned = ByteLevelBpeTrainer.train(corpus(), merges);
            if (learned.size() != merges) {
                throw new IllegalStateException("the corpus yields only " + learned.size() + " merges");
            }
            ByteLevelTokenizerJson.write(dir.resolve("tokenizer.json"), learned);
        }
    }
}
