package dev.adapterhub.worker.support;

import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tiny random Llama (with the byte-level tokenizer) and the NUM2WORDS dataset, written under target/. */
public final class TestInputs {

    private TestInputs() {
    }

    /** config.json, tokenizer.json and model.safetensors of a 2-layer width-64 model. */
    public static Path tinyModel(String name) throws IOException {
        Path dir = scratch(name);
        return TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(11), dir);
    }

    /** 1000 lines of {"prompt": "347=", "completion": "three hundred forty-seven"}. */
    public static Path num2wordsDataset(String name) throws IOException {
        Path file = scratch(name).resolve("num2words.jsonl");
        List<PromptCompletion> examples = SyntheticTasks.task(SyntheticTasks.Task.NUM2WORDS, 3).stream()
                .map(e -> new PromptCompletion(e.prompt(), e.completion()))
                .toList();
        new PromptCompletionDataset(examples).write(file);
        return file;
    }

    /** The first {@code n} of NUM2WORDS's held-out examples: an evaluation set a team would keep. */
    public static Path num2wordsEvaluationSet(String name, int n) throws IOException {
        Path file = scratch(name).resolve("num2words-eval.jsonl");
        List<PromptCompletion> examples = SyntheticTasks.split(SyntheticTasks.Task.NUM2WORDS).eval().subList(0, n)
                .stream().map(e -> new PromptCompletion(e.prompt(), e.completion())).toList();
        new PromptCompletionDataset(examples).write(file);
        return file;
    }

    private static Path scratch(String name) throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "worker-tests", name));
    }
}
