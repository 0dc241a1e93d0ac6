package dev.adapterhub.engine.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges from a corpus, the way GPT-2's tokenizer was made: split text with the byte-level
 * pre-tokenizer's pattern, count words, then repeatedly merge the most frequent adjacent pair (ties broken by
 * the pair's text, so the result is a function of the corpus alone). The merges feed
 * {@link ByteLevelTokenizerJson#write(java.nio.file.Path, List)}.
 */
public final class ByteLevelBpeTrainer {

    /** The pattern HF tokenizers' ByteLevel pre-tokenizer splits with when {@code use_regex} is on. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private ByteLevelBpeTrainer() {
    }

    /** Up to {@code mergeCount} merges, most frequent first; fewer when no pair occurs twice. */
    public static List<String> train(List<String> texts, int mergeCount) {
        List<String> alphabet = ByteLevelTokenizerJson.byteAlphabet();
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        for (String text : texts) {
            Matcher m = WORDS.matcher(text);
            while (m.find()) {
                wordCounts.merge(m.group(), 1, Integer::sum);
            }
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((word, count) -> {
            List<String> symbols = new ArrayList<>();
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                symbols.add(alphabet.get(b & 0xFF));
            }
            words.add(symbols);
            counts.add(count);
        });
        List<String> merges = new ArrayList<>();
        while (merges.size() < mergeCount) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> symbols = words.get(w);
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairs.merge(symbols.get(i) + " " + symbols.get(i + 1), counts.get(w), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && best != null
                        && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                break;
            }
            merges.add(best);
            String[] parts = best.split(" ");
            for (List<String> symbols : words) {
                mergeIn(symbols, parts[0], parts[1]);
            }
        }
        return merges;
    }

    private static void mergeIn(List<String> symbols, String left, String right) {
        for (int i = 0; i + 1 < symbols.size(); i++) {
            if (symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                symbols.set(i, left + right);
                symbols.remove(i + 1);
            }
        }
    }
}
