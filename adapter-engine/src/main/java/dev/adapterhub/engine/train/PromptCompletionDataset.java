package dev.adapterhub.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A JSON Lines file with one {@code {"prompt": ..., "completion": ...}} object per line (blank lines skipped;
 * other fields ignored), and its deterministic train/eval split.
 */
public final class PromptCompletionDataset {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<PromptCompletion> examples;

    public PromptCompletionDataset(List<PromptCompletion> examples) {
        this.examples = List.copyOf(examples);
    }

    /**
     * Reads a JSONL file.
     *
     * @throws InvalidDatasetException naming the line when a line is not an object with two string fields
     */
    public static PromptCompletionDataset read(Path file) throws IOException {
        List<PromptCompletion> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                out.add(parseLine(line, number));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidDatasetException("dataset " + file.getFileName() + " has no examples");
        }
        return new PromptCompletionDataset(out);
    }

    private static PromptCompletion parseLine(String line, int number) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new InvalidDatasetException("line " + number + ": not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidDatasetException("line " + number + ": expected a JSON object");
        }
        JsonNode prompt = node.get("prompt");
        JsonNode completion = node.get("completion");
        if (prompt == null || !prompt.isTextual() || completion == null || !completion.isTextual()) {
            throw new InvalidDatasetException("line " + number + ": needs string fields \"prompt\" and \"completion\"");
        }
        if (completion.asText().isEmpty()) {
            throw new InvalidDatasetException("line " + number + ": \"completion\" is empty");
        }
        return new PromptCompletion(prompt.asText(), completion.asText());
    }

    /** Writes the examples as JSONL (used by the benchmark's task generators). */
    public void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (PromptCompletion e : examples) {
                w.write(JSON.createObjectNode().put("prompt", e.prompt()).put("completion", e.completion()).toString());
                w.write('\n');
            }
        }
    }

    public List<PromptCompletion> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    /**
     * Shuffles with {@code seed} and cuts off {@code evalFraction} of the examples (at least one when the
     * fraction is positive, never all of them) as the evaluation set.
     */
    public Split split(double evalFraction, long seed) {
        if (evalFraction < 0 || evalFraction >= 1) {
            throw new IllegalArgumentException("evalFraction must be in [0, 1), got " + evalFraction);
        }
        List<PromptCompletion> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(seed));
        int evalCount = evalFraction == 0 ? 0 : Math.max(1, (int) Math.round(evalFraction * shuffled.size()));
        if (evalCount >= shuffled.size()) {
            throw new InvalidDatasetException("dataset of " + shuffled.size() + " examples is too small to split");
        }
        return new Split(new PromptCompletionDataset(shuffled.subList(evalCount, shuffled.size())),
                new PromptCompletionDataset(shuffled.subList(0, evalCount)));
    }

    /** Disjoint train and eval parts. */
    public record Split(PromptCompletionDataset train, PromptCompletionDataset eval) {
    }
}
