package dev.adapterhub.engine.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a deterministic byte-level BPE {@code tokenizer.json} (GPT-2 byte-to-unicode alphabet) that the
 * HF tokenizers library accepts: ids 0 {@code <pad>}, 1 {@code <s>}, 2 {@code </s>}, then byte {@code b} is id
 * {@code 3 + b}, then one id per merge in merge order ({@link ByteLevelBpeTrainer} learns merges; without them
 * every byte is a token). Every string round-trips (bytes are never unknown); {@code <s>} is prepended by the
 * post-processor when special tokens are requested.
 */
public final class ByteLevelTokenizerJson {

    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int BYTE_OFFSET = 3;
    public static final int VOCAB_SIZE = 259;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ByteLevelTokenizerJson() {
    }

    /** Writes the tokenizer to {@code file} (usually {@code <dir>/tokenizer.json}). */
    public static void write(Path file) throws IOException {
        write(file, List.of());
    }

    /** Writes the tokenizer with BPE merges, each "left right" in the byte alphabet. */
    public static void write(Path file, List<String> merges) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(build(merges)));
    }

    /** The JSON document without merges. */
    public static ObjectNode build() {
        return build(List.of());
    }

    /** The JSON document; the vocabulary is {@link #VOCAB_SIZE} + {@code merges.size()} tokens. */
    public static ObjectNode build(List<String> merges) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, PAD_ID, "<pad>");
        addSpecial(added, BOS_ID, "<s>");
        addSpecial(added, EOS_ID, "</s>");
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(BOS_ID);
        bos.putArray("tokens").add("<s>");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", false);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<pad>", PAD_ID);
        vocab.put("<s>", BOS_ID);
        vocab.put("</s>", EOS_ID);
        List<String> alphabet = byteAlphabet();
        for (int b = 0; b < 256; b++) {
            vocab.put(alphabet.get(b), BYTE_OFFSET + b);
        }
        ArrayNode mergeList = model.putArray("merges");
        int next = VOCAB_SIZE;
        for (String merge : merges) {
            String[] parts = merge.split(" ");
            if (parts.length != 2 || !vocab.has(parts[0]) || !vocab.has(parts[1])) {
                throw new IllegalArgumentException("merge '" + merge + "' joins tokens that are not in the vocabulary");
            }
            String joined = parts[0] + parts[1];
            if (!vocab.has(joined)) {
                vocab.put(joined, next++);
            }
            mergeList.add(merge);
        }
        return root;
    }

    private static void addSpecial(ArrayNode added, int id, String content) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
    }

    /** GPT-2's bytes_to_unicode: the printable character standing for each byte value 0..255. */
    static List<String> byteAlphabet() {
        List<Integer> bs = new ArrayList<>();
        for (int c = '!'; c <= '~'; c++) {
            bs.add(c);
        }
        for (int c = 0xA1; c <= 0xAC; c++) {
            bs.add(c);
        }
        for (int c = 0xAE; c <= 0xFF; c++) {
            bs.add(c);
        }
        String[] map = new String[256];
        for (int b : bs) {
            map[b] = new String(Character.toChars(b));
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (map[b] == null) {
                map[b] = new String(Character.toChars(256 + n));
                n++;
            }
        }
        return List.of(map);
    }
}
