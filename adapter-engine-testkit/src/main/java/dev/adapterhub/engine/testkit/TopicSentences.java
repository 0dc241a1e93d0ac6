package dev.adapterhub.engine.testkit;

import java.util.List;
import java.util.Random;

/**
 * Short English sentences about one of four topics, built from small per-topic word lists and shared time
 * phrases, so that only the content words tell the topic. They are the free-form text of the task suite's
 * {@link SyntheticTasks.Task#TOPIC} and appear, unlabelled, in the pretraining corpus.
 */
public final class TopicSentences {

    /** The topics; {@link #label()} is what the TOPIC task answers. */
    public enum Topic {
        SPORT(List.of("the striker", "the keeper", "our team", "the coach", "the referee", "the captain",
                "the runner", "the boxer"),
                List.of("scored", "missed", "won", "lost", "kicked", "passed", "blocked", "trained for"),
                List.of("the match", "a goal", "the final", "the race", "a penalty", "the cup", "the game",
                        "the title")),
        FOOD(List.of("the chef", "my aunt", "the baker", "the waiter", "our cook", "the farmer", "my friend",
                "the kitchen"),
                List.of("cooked", "baked", "served", "tasted", "burned", "sliced", "ordered", "fried"),
                List.of("the soup", "fresh bread", "a cake", "the rice", "some pasta", "the fish", "a pie",
                        "the salad")),
        WEATHER(List.of("the wind", "a storm", "the rain", "the sun", "heavy snow", "the fog", "a cold front",
                "the clouds"),
                List.of("hit", "covered", "soaked", "warmed", "cooled", "swept over", "reached", "blew across"),
                List.of("the coast", "the valley", "the city", "the hills", "the harbour", "the plains",
                        "the town", "the north")),
        MUSIC(List.of("the band", "the singer", "a pianist", "the choir", "the drummer", "our orchestra",
                "the guitarist", "the dj"),
                List.of("played", "recorded", "sang", "released", "rehearsed", "performed", "mixed", "wrote"),
                List.of("a new song", "the album", "the anthem", "a ballad", "the concert", "a love song",
                        "the chorus", "the symphony"));

        private final List<String> subjects;
        private final List<String> verbs;
        private final List<String> objects;

        Topic(List<String> subjects, List<String> verbs, List<String> objects) {
            this.subjects = subjects;
            this.verbs = verbs;
            this.objects = objects;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Shared by every topic, so they carry no signal. */
    private static final List<String> WHEN = List.of("today", "last night", "again", "this morning", "on sunday",
            "yesterday", "once more", "at last");

    /** Sentences per topic: subjects x verbs x objects x time phrases. */
    public static final int PER_TOPIC = 8 * 8 * 8 * 8;

    private TopicSentences() {
    }

    /** A random sentence about {@code topic}, e.g. "the chef baked a cake today". */
    public static String sentence(Topic topic, Random random) {
        return sentence(topic, random.nextInt(PER_TOPIC));
    }

    /** Sentence number {@code index} (0 .. {@link #PER_TOPIC} - 1) of {@code topic}. */
    public static String sentence(Topic topic, int index) {
        int s = index % 8;
        int v = (index / 8) % 8;
        int o = (index / 64) % 8;
        int w = (index / 512) % 8;
        return topic.subjects.get(s) + " " + topic.verbs.get(v) + " " + topic.objects.get(o) + " " + WHEN.get(w);
    }

    /** The topic whose grammar produces {@code sentence}, or null when none does. */
    public static Topic topicOf(String sentence) {
        for (Topic topic : Topic.values()) {
            for (String subject : topic.subjects) {
                if (!sentence.startsWith(subject + " ")) {
                    continue;
                }
                String rest = sentence.substring(subject.length() + 1);
                for (String verb : topic.verbs) {
                    if (!rest.startsWith(verb + " ")) {
                        continue;
                    }
                    String tail = rest.substring(verb.length() + 1);
                    for (String object : topic.objects) {
                        if (tail.startsWith(object + " ") && WHEN.contains(tail.substring(object.length() + 1))) {
                            return topic;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** A random topic. */
    public static Topic anyTopic(Random random) {
        Topic[] all = Topic.values();
        return all[random.nextInt(all.length)];
    }
}
