package dev.adapterhub.engine.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generated data for the benchmark, so nothing is downloaded or shipped. The pretraining corpus teaches both
 * "vocabularies" (counting in digits, counting in English words) but never pairs a number with its words; the
 * fine-tuning tasks then ask for the pairing, which the model has to learn from few steps.
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
        NUM2WORDS,
        /** "three hundred forty-seven=" -> "347" */
        WORDS2NUM
    }

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
            int length = 4 + random.nextInt(5);
            int start = random.nextInt(1000 - length);
            boolean asWords = random.nextBoolean();
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < length; k++) {
                if (k > 0) {
                    sb.append(asWords ? ", " : " ");
                }
                sb.append(asWords ? words(start + k) : Integer.toString(start + k));
            }
            out.add(new Example("", sb.toString()));
        }
        return out;
    }

    /** Every number 0..999 once, shuffled with the seed. */
    public static List<Example> task(Task task, long seed) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            numbers.add(n);
        }
        Collections.shuffle(numbers, new Random(seed));
        List<Example> out = new ArrayList<>();
        for (int n : numbers) {
            out.add(switch (task) {
                case NUM2WORDS -> new Example(n + "=", words(n));
                case WORDS2NUM -> new Example(words(n) + "=", Integer.toString(n));
            });
        }
        return out;
    }
}
