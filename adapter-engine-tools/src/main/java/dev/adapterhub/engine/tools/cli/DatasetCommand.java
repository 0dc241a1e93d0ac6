package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.tools.bench.SyntheticExamples;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes one of the project's synthetic tasks as a JSONL dataset. */
final class DatasetCommand {

    private DatasetCommand() {
    }

    static void run(CliOptions options) throws IOException {
        SyntheticTasks.Task task = SyntheticTasks.Task.valueOf(options.required("task").toUpperCase(Locale.ROOT));
        Path out = options.path("out");
        String split = options.text("split", "all");
        long seed = options.integer("seed", 0);
        int limit = options.integer("limit", 1000);
        options.requireAllUsed();

        List<PromptCompletion> examples = SyntheticExamples.of(switch (split) {
            case "all" -> SyntheticTasks.task(task, seed);
            case "train" -> SyntheticTasks.split(task).train();
            case "eval" -> SyntheticTasks.split(task).eval();
            default -> throw new IllegalArgumentException("--split must be all, train or eval");
        });
        // The README tour writes to a fresh /tmp/tour/: a missing parent is created, like the other commands' --out.
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new PromptCompletionDataset(examples.subList(0, Math.min(limit, examples.size()))).write(out);
        System.out.printf("wrote %d examples of %s to %s%n", Math.min(limit, examples.size()), task, out);
    }
}
