package dev.adapterhub.engine.generate;

import dev.adapterhub.engine.tokenizer.TextTokenizer;

import java.util.List;

/** The stop conditions of one generated row (shared by {@link Generator} and the serving scheduler). */
public final class StopCheck {

    /**
     * @param reason why the row stops
     * @param text   for {@link FinishReason#STOP_STRING}: the decoded text cut before the first stop string; else null
     */
    public record Outcome(FinishReason reason, String text) {
    }

    private StopCheck() {
    }

    /**
     * Checks the row after its latest token: a stop token, then a stop string (needs {@code tokenizer}), then the
     * length limit. Returns null while the row goes on.
     */
    public static Outcome check(int[] stopTokenIds, List<String> stopStrings, int maxNewTokens,
                                List<Integer> generated, TextTokenizer tokenizer) {
        int last = generated.get(generated.size() - 1);
        for (int s : stopTokenIds) {
            if (s == last) {
                return new Outcome(FinishReason.STOP_TOKEN, null);
            }
        }
        if (!stopStrings.isEmpty()) {
            String text = tokenizer.decode(generated.stream().mapToInt(Integer::intValue).toArray());
            int cut = firstStop(text, stopStrings);
            if (cut >= 0) {
                return new Outcome(FinishReason.STOP_STRING, text.substring(0, cut));
            }
        }
        if (generated.size() >= maxNewTokens) {
            return new Outcome(FinishReason.LENGTH, null);
        }
        return null;
    }

    /** Index of the earliest occurrence of any non-empty stop string in {@code text}, or -1. */
    public static int firstStop(String text, List<String> stopStrings) {
        int cut = -1;
        for (String stop : stopStrings) {
            int at = stop.isEmpty() ? -1 : text.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        return cut;
    }
}
