package dev.adapterhub.engine.tools.bench;

import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.train.PromptCompletion;
import java.util.List;

/** The test kit's generated examples as the engine's training examples (the kit cannot see the engine). */
public final class SyntheticExamples {

    private SyntheticExamples() {
    }

    public static List<PromptCompletion> of(List<SyntheticTasks.Example> examples) {
        return examples.stream().map(e -> new PromptCompletion(e.prompt(), e.completion())).toList();
    }
}
