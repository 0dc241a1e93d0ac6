package dev.adapterhub.engine.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The documents the shipped base models are pretrained on. Three kinds, mixed:
 * <ul>
 *   <li>counting runs, in digits ("41 42 43") or in words ("forty-one, forty-two"), never both in one document;</li>
 *   <li>paragraphs of two or three {@link TopicSentences} about one topic, never naming the topic;</li>
 *   <li>numbered lists under "Here are 10 examples:", whose items share a kind (numbers in digits, numbers in
 *       words, sentences) and a trailing mark ({@code =}, {@code ?}, {@code ;} or none), with about one item in
 *       five of another kind. They teach a base model to continue a list in the style of its items, which is
 *       what Trans-LoRA asks of the target model; the off-kind items make that imperfect, as it is for real
 *       models, so filtering has something to remove.</li>
 * </ul>
 * No document pairs a task input with its answer: numbers never appear beside their words, sentences never
 * beside their topic, and list items are inputs only.
 */
public final class PretrainingCorpus {

    /** The header of every list document, as in Trans-LoRA's generation prompt. */
    public static final String LIST_HEADER = "Here are 10 examples:\n\n";

    private static final String[] MARKS = {"", "=", "?", ";"};
    private static final int LIST_MAX_CHARS = 220;

    private enum ItemKind { DIGITS, WORDS, SENTENCE }

    private PretrainingCorpus() {
    }

    /** {@code count} documents, a function of the seed alone. */
    public static List<String> documents(int count, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double kind = random.nextDouble();
            if (kind < 0.35) {
                out.add(countingRun(random));
            } else if (kind < 0.6) {
                out.add(paragraph(random));
            } else {
                out.add(list(random));
            }
        }
        return out;
    }

    /** 4-8 consecutive numbers from a random start, all in digits or all in words. */
    static String countingRun(Random random) {
        int length = 4 + random.nextInt(5);
        int start = random.nextInt(1000 - length);
        boolean asWords = random.nextBoolean();
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < length; k++) {
            if (k > 0) {
                sb.append(asWords ? ", " : " ");
            }
            sb.append(asWords ? SyntheticTasks.words(start + k) : Integer.toString(start + k));
        }
        return sb.toString();
    }

    private static String paragraph(Random random) {
        TopicSentences.Topic topic = TopicSentences.anyTopic(random);
        int sentences = 2 + random.nextInt(2);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < sentences; k++) {
            if (k > 0) {
                sb.append(". ");
            }
            sb.append(TopicSentences.sentence(topic, random));
        }
        return sb.append('.').toString();
    }

    private static String list(Random random) {
        ItemKind kind = ItemKind.values()[random.nextInt(ItemKind.values().length)];
        String mark = MARKS[random.nextInt(MARKS.length)];
        // Half of the sentence lists keep to one topic, like a task's inputs; the rest mix topics.
        TopicSentences.Topic topic = random.nextBoolean() ? TopicSentences.anyTopic(random) : null;
        StringBuilder sb = new StringBuilder(LIST_HEADER);
        for (int n = 1; n <= 10; n++) {
            ItemKind itemKind = random.nextDouble() < 0.2
                    ? ItemKind.values()[random.nextInt(ItemKind.values().length)] : kind;
            String item = n + ". " + item(itemKind, topic, random) + mark + "\n";
            if (n > 2 && sb.length() + item.length() > LIST_MAX_CHARS) {
                break;
            }
            sb.append(item);
        }
        return sb.toString();
    }

    private static String item(ItemKind kind, TopicSentences.Topic topic, Random random) {
        return switch (kind) {
            case DIGITS -> Integer.toString(random.nextInt(1000));
            case WORDS -> SyntheticTasks.words(random.nextInt(1000));
            case SENTENCE -> TopicSentences.sentence(topic != null ? topic : TopicSentences.anyTopic(random), random);
        };
    }
}
