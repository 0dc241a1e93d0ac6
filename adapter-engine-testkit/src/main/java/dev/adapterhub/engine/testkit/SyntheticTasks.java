package dev.adapterhub.engine.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The project's task suite, generated so nothing is downloaded. Three tasks with different input distributions:
 * numbers in digits, numbers in English words, and short free-form sentences. Every task's prompt is its input
 * followed by {@code =}; {@link #split} gives the fixed train and held-out eval sets. The pretraining corpora
 * ({@link #pretrainingCorpus} here, {@link PretrainingCorpus} for the shipped base models) contain the inputs'
 * vocabularies but never an input paired with its answer, so a model must learn each pairing from few steps.
 */
public final class SyntheticTasks {

    /** One generated example; the engine's {@code PromptCompletion} has the same two fields. */
    public record Example(String prompt, String completion) {
    }

    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety"};

    /** Fine-tuning tasks. */
    public enum Task {
        /** "347=" -> "three hundred forty-seven" */
        NUM2WORDS("numbers-to-words"),
        /** "three hundred forty-seven=" -> "347" */
        WORDS2NUM("words-to-numbers"),
        /** "the chef baked a cake today=" -> "food" (one of {@link TopicSentences.Topic}) */
        TOPIC("sentence-topics");

        private final String shortName;

        Task(String shortName) {
            this.shortName = shortName;
        }

        /** The task's short name: the suggested adapter name and the NAME of Trans-LoRA's discriminator prompt. */
        public String shortName() {
            return shortName;
        }
    }

    /** A task's fixed train and held-out eval examples (disjoint inputs). */
    public record Split(List<Example> train, List<Example> eval) {
    }

    /** Held-out examples per task. */
    public static final int EVAL_SIZE = 200;
    /** Training examples per task. */
    public static final int TRAIN_SIZE = 800;

    private SyntheticTasks() {
    }

    /** English words for 0..999, e.g. 347 -> "three hundred forty-seven". */
    public static String words(int n) {
        if (n < 0 || n > 999) {
            throw new IllegalArgumentException("0..999 only");
        }
        if (n < 20) {
            return ONES[n];
        }
        if (n < 100) {
            return TENS[n / 10] + (n % 10 == 0 ? "" : "-" + ONES[n % 10]);
        }
        return ONES[n / 100] + " hundred" + (n % 100 == 0 ? "" : " " + words(n % 100));
    }

    /** Pretraining lines: runs of 4-8 consecutive numbers, in digits or in words, never both in one line. */
    public static List<Example> pretrainingCorpus(int lines, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            out.add(new Example("", PretrainingCorpus.countingRun(random)));
        }
        return out;
    }

    /**
     * The task's 1,000 examples in an order shuffled with the seed: every number 0..999 once, or for TOPIC 250
     * distinct sentences per topic.
     */
    public static List<Example> task(Task task, long seed) {
        List<Example> out = new ArrayList<>();
        if (task == Task.TOPIC) {
            // Sentence indices fixed by the topic, so every seed draws from the same 1,000 examples.
            Random pick = new Random(424242);
            for (TopicSentences.Topic topic : TopicSentences.Topic.values()) {
                Set<Integer> chosen = new LinkedHashSet<>();
                while (chosen.size() < (TRAIN_SIZE + EVAL_SIZE) / TopicSentences.Topic.values().length) {
                    chosen.add(pick.nextInt(TopicSentences.PER_TOPIC));
                }
                for (int index : chosen) {
                    out.add(new Example(TopicSentences.sentence(topic, index) + "=", topic.label()));
                }
            }
        } else {
            for (int n = 0; n < 1000; n++) {
                out.add(task == Task.NUM2WORDS ? new Example(n + "=", words(n))
                        : new Example(words(n) + "=", Integer.toString(n)));
            }
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    /** Whether {@code text} is a well-formed input of the task (the prompt, {@code =} included). */
    public static boolean isInput(Task task, String text) {
        if (!text.endsWith("=")) {
            return false;
        }
        String body = text.substring(0, text.length() - 1);
        return switch (task) {
            case NUM2WORDS -> body.matches("0|[1-9][0-9]{0,2}");
            case WORDS2NUM -> WORDS.containsKey(body);
            case TOPIC -> TopicSentences.topicOf(body) != null;
        };
    }

    private static final Map<String, Integer> WORDS = wordsIndex();

    private static Map<String, Integer> wordsIndex() {
        Map<String, Integer> index = new HashMap<>();
        for (int n = 0; n < 1000; n++) {
            index.put(words(n), n);
        }
        return index;
    }

    /**
     * The fixed split every user of the suite shares: {@link #TRAIN_SIZE} training and {@link #EVAL_SIZE}
     * held-out examples. The held-out inputs never occur in the training half.
     */
    public static Split split(Task task) {
        List<Example> all = task(task, 0);
        return new Split(List.copyOf(all.subList(EVAL_SIZE, all.size())), List.copyOf(all.subList(0, EVAL_SIZE)));
    }
}
