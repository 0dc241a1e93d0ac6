package dev.adapterhub.engine.tools.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterhub.engine.testkit.BaseModelRecipe;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a shipped base model's {@code pretraining.json} (recipe, run, scores, file digests) and its
 * {@code README.md} model card from the same numbers, so the card never states what was not measured.
 */
public final class ModelCard {

    /** The files a shipped base consists of; their SHA-256 digests go into the card. */
    public static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelCard() {
    }

    public static void write(Path dir, BaseModelRecipe recipe, Pretrainer.Outcome outcome,
                             BaseModelScorer.Scores scores, String command) throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String file : FILES) {
            digests.put(file, Sha256.hex(dir.resolve(file)));
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("recipe", recipe);
        record.put("command", command);
        record.put("machine", machine());
        record.put("outcome", outcome);
        record.put("scores", scores);
        record.put("sha256", digests);
        JSON.writeValue(dir.resolve("pretraining.json").toFile(), record);
        Files.writeString(dir.resolve("README.md"), markdown(recipe, outcome, scores, command, digests));
    }

    /** The pretraining run recorded in {@code dir/pretraining.json}. */
    public static Pretrainer.Outcome recordedOutcome(Path dir) throws IOException {
        return JSON.convertValue(JSON.readTree(dir.resolve("pretraining.json").toFile()).path("outcome"),
                Pretrainer.Outcome.class);
    }

    /** The command recorded in {@code dir/pretraining.json}. */
    public static String recordedCommand(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("pretraining.json").toFile()).path("command").asText();
    }

    static String machine() {
        return String.format(Locale.ROOT, "%s %s, %d processors, libtorch threads %s", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
    }

    static String markdown(BaseModelRecipe recipe, Pretrainer.Outcome outcome, BaseModelScorer.Scores scores,
                           String command, Map<String, String> digests) {
        TinyLlamaSpec s = recipe.spec();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(recipe.name()).append('@').append(recipe.revision()).append("\n\n");
        md.append("A small Llama-family base model pretrained by this project with its own engine, for the tour, ")
                .append("the tests and the Trans-LoRA benchmarks: ").append(recipe.summary()).append(".\n\n");
        md.append("## How it was made\n\n");
        md.append("```bash\n").append(command).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, """
                - Shape: %d layers, hidden %d, SwiGLU %d, %d heads / %d KV heads, vocabulary %d%s; %,d parameters, F32.
                - Tokenizer: byte-level BPE%s.
                - Initial weights: Gaussian (std %s), seed %d (`TinyLlamaGenerator`).
                - Corpus: %,d generated documents, each seen once (`PretrainingCorpus`, seed %d): counting runs in digits
                  or in words, paragraphs of topic sentences, numbered lists of inputs. It never pairs a task input with its
                  answer.
                - Training: every weight, AdamW, lr %s (cosine to a tenth, 5 %% warmup), batch %d, %d steps, at most %d
                  tokens per document, seed %d. Loss %.3f → %.3f (mean of the last 20 steps); %.0f s on %s.
                """, s.layers(), s.hidden(), s.intermediate(), s.heads(), s.kvHeads(), s.vocab(),
                s.tieEmbeddings() ? ", tied embeddings" : "", outcome.parameters(),
                recipe.merges() == 0 ? " with no merges (one token per byte)"
                        : " with " + recipe.merges() + " merges learned from the corpus (`ByteLevelBpeTrainer`)",
                s.initStd(), s.seed(), outcome.documents(), recipe.corpusSeed(), recipe.learningRate(),
                recipe.batchSize(), outcome.steps(), recipe.maxLength(), recipe.trainingSeed(), outcome.firstLoss(),
                outcome.finalLoss(), outcome.seconds(), machine()));
        md.append("\n## What it scores\n\n");
        md.append(String.format(Locale.ROOT, "Loss on %d corpus documents it never saw: %.3f.%n%n",
                scores.documents(), scores.heldOutCorpusLoss()));
        md.append(String.format(Locale.ROOT, "Exact match on %d of each task's held-out examples ", scores.evalExamples()))
                .append("(`SyntheticTasks.split`), greedy. \"LoRA\" is ")
                .append(String.format(Locale.ROOT, "rank 8, α 16, %d steps of batch 16 on the task's 800 ",
                        scores.loraSteps()))
                .append("training examples, at each learning rate (eval loss in brackets; none is picked). ")
                .append("\"Well-formed sixth item\" is the share of ").append(scores.listPrompts())
                .append(" greedy continuations of ")
                .append("Trans-LoRA's prompt (five training inputs as a numbered list, then `6.`) that are valid ")
                .append("inputs of the task.\n\n");
        md.append("| task | base alone |");
        BaseModelScorer.LORA_LEARNING_RATES.forEach(lr -> md.append(String.format(Locale.ROOT, " LoRA lr %s |", lr)));
        md.append(" well-formed sixth item | sample sixth items |\n|---|---:|");
        md.append("---:|".repeat(BaseModelScorer.LORA_LEARNING_RATES.size())).append("---:|---|\n");
        for (BaseModelScorer.TaskScore t : scores.tasks()) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f |", t.task(), t.baseExactMatch()));
            t.lora().forEach(l -> md.append(String.format(Locale.ROOT, " %.3f (%.3f) |", l.exactMatch(), l.evalLoss())));
            md.append(String.format(Locale.ROOT, " %.2f | %s |%n", t.listContinuationRate(),
                    String.join(" · ", t.sampleContinuations().stream().map(x -> "`" + x.replace("|", "\\|") + "`")
                            .toList())));
        }
        md.append("\n## Files\n\n| file | SHA-256 |\n|---|---|\n");
        digests.forEach((file, digest) -> md.append("| `").append(file).append("` | `").append(digest).append("` |\n"));
        md.append("\nThe numbers above are in `pretraining.json` too. A rerun of the command on the same machine and ")
                .append("thread count writes the same weights.\n");
        return md.toString();
    }
}
