package dev.adapterhub.engine.serve;

import dev.adapterhub.engine.generate.StopCheck;
import dev.adapterhub.engine.tokenizer.TextTokenizer;

import java.util.List;

/**
 * Incremental text of one row for streaming: emits only text that cannot change any more. Held back: a trailing
 * replacement character (an incomplete UTF-8 sequence of a byte-level tokenizer) and a suffix that could be the
 * start of a stop string (the final text is cut before a stop string, so it must never have been streamed).
 */
final class TextStream {

    private final TextTokenizer tokenizer;
    private final List<String> stops;
    private String emitted = "";

    TextStream(TextTokenizer tokenizer, List<String> stops) {
        this.tokenizer = tokenizer;
        this.stops = stops;
    }

    /** The newly final text after the latest token (may be empty). */
    String next(int[] generated) {
        if (tokenizer == null) {
            return "";
        }
        String text = tokenizer.decode(generated);
        int cut = StopCheck.firstStop(text, stops);
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        int safe = safeLength(text, stops);
        return emit(text.substring(0, safe));
    }

    /** The rest of the final text. */
    String finish(String finalText) {
        return finalText == null ? "" : emit(finalText);
    }

    private String emit(String text) {
        if (text.length() <= emitted.length() || !text.startsWith(emitted)) {
            return "";
        }
        String delta = text.substring(emitted.length());
        emitted = text;
        return delta;
    }

    static int safeLength(String text, List<String> stops) {
        int safe = text.length();
        while (safe > 0 && text.charAt(safe - 1) == '\uFFFD') {
            safe--;
        }
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, text.length()); k > 0; k--) {
                if (text.regionMatches(text.length() - k, stop, 0, k)) {
                    safe = Math.min(safe, text.length() - k);
                    break;
                }
            }
        }
        return safe;
    }
}
