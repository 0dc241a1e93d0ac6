package dev.adapterhub.engine.testkit;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskSuiteTest {

    @Test
    void everyTaskHasAFixedSplitWithDisjointInputsAndWellFormedPrompts() {
        for (SyntheticTasks.Task task : SyntheticTasks.Task.values()) {
            SyntheticTasks.Split split = SyntheticTasks.split(task);
            assertEquals(SyntheticTasks.TRAIN_SIZE, split.train().size(), task.name());
            assertEquals(SyntheticTasks.EVAL_SIZE, split.eval().size(), task.name());
            Set<String> trainInputs = split.train().stream().map(SyntheticTasks.Example::prompt)
                    .collect(Collectors.toSet());
            assertEquals(SyntheticTasks.TRAIN_SIZE, trainInputs.size(), task + " has duplicate training inputs");
            split.eval().forEach(e -> assertFalse(trainInputs.contains(e.prompt()), task + " leaks " + e.prompt()));
            split.train().forEach(e -> assertTrue(SyntheticTasks.isInput(task, e.prompt()), e.prompt()));
            assertEquals(split, SyntheticTasks.split(task), "the split is a function of the task alone");
        }
    }

    @Test
    void tasksHaveDifferentInputDistributionsAndTheTopicsAreBalanced() {
        for (SyntheticTasks.Task task : SyntheticTasks.Task.values()) {
            for (SyntheticTasks.Task other : SyntheticTasks.Task.values()) {
                if (other != task) {
                    String input = SyntheticTasks.split(other).train().get(0).prompt();
                    assertFalse(SyntheticTasks.isInput(task, input), task + " accepts " + other + " input " + input);
                }
            }
        }
        Map<String, Long> labels = SyntheticTasks.task(SyntheticTasks.Task.TOPIC, 0).stream()
                .collect(Collectors.groupingBy(SyntheticTasks.Example::completion, Collectors.counting()));
        assertEquals(Map.of("sport", 250L, "food", 250L, "weather", 250L, "music", 250L), labels);
        assertEquals("food", SyntheticTasks.task(SyntheticTasks.Task.TOPIC, 0).stream()
                .filter(e -> e.prompt().startsWith("the chef baked")).findFirst().orElseThrow().completion());
    }

    @Test
    void inputRecognitionRejectsNearMisses() {
        assertTrue(SyntheticTasks.isInput(SyntheticTasks.Task.NUM2WORDS, "42="));
        assertFalse(SyntheticTasks.isInput(SyntheticTasks.Task.NUM2WORDS, "42"));
        assertFalse(SyntheticTasks.isInput(SyntheticTasks.Task.NUM2WORDS, "042="));
        assertFalse(SyntheticTasks.isInput(SyntheticTasks.Task.NUM2WORDS, "1000="));
        assertTrue(SyntheticTasks.isInput(SyntheticTasks.Task.WORDS2NUM, "forty-two="));
        assertFalse(SyntheticTasks.isInput(SyntheticTasks.Task.WORDS2NUM, "forty two="));
        assertTrue(SyntheticTasks.isInput(SyntheticTasks.Task.TOPIC, "the chef baked a cake today="));
        assertFalse(SyntheticTasks.isInput(SyntheticTasks.Task.TOPIC, "the chef baked the album today="));
        assertEquals(TopicSentences.Topic.MUSIC, TopicSentences.topicOf("the band played the album again"));
    }

    @Test
    void theCorpusIsDeterministicAndNeverPairsAnInputWithItsAnswer() {
        List<String> documents = PretrainingCorpus.documents(20_000, 99);
        assertEquals(documents, PretrainingCorpus.documents(20_000, 99));
        Set<String> pairs = new HashSet<>();
        for (SyntheticTasks.Task task : SyntheticTasks.Task.values()) {
            SyntheticTasks.task(task, 0).forEach(e -> pairs.add(e.prompt() + e.completion()));
        }
        int lists = 0;
        for (String doc : documents) {
            for (TopicSentences.Topic topic : TopicSentences.Topic.values()) {
                assertFalse(doc.matches("(?s).*\\b" + topic.label() + "\\b.*"), "names a topic: " + doc);
            }
            for (String line : doc.split("\n")) {
                String item = line.replaceFirst("^\\d+\\. ", "");
                int eq = item.indexOf('=');
                if (eq >= 0 && eq + 1 < item.length()) {
                    assertFalse(pairs.contains(item), "pairs an input with its answer: " + item);
                }
            }
            lists += doc.startsWith(PretrainingCorpus.LIST_HEADER) ? 1 : 0;
        }
        assertTrue(lists > 6_000 && lists < 10_000, "about 40 % lists, got " + lists);
        assertTrue(documents.stream().anyMatch(d -> d.startsWith(PretrainingCorpus.LIST_HEADER) && d.contains("=\n")),
                "some lists carry the tasks' trailing mark");
    }
}
