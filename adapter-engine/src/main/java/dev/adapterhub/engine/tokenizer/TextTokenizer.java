package dev.adapterhub.engine.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.device.Devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A HF {@code tokenizer.json} loaded offline from a local file with DJL's {@link HuggingFaceTokenizer}
 * (never the name/download variant). Truncation and padding are off, so long inputs are never cut silently.
 * Special-token ids come from the file's {@code added_tokens} ({@code <s>}, {@code </s>}, {@code <pad>},
 * {@code <unk>}) or from a {@code tokenizer_config.json} next to it.
 */
public final class TextTokenizer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int vocabSize;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int bosId, int eosId, int padId, int vocabSize) {
        this.tokenizer = tokenizer;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.vocabSize = vocabSize;
    }

    /** Loads {@code tokenizer.json}, or {@code <dir>/tokenizer.json} when given a directory. */
    public static TextTokenizer load(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer.json") : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new IOException("no tokenizer.json at " + file);
        }
        Devices.configureOffline();
        JsonNode root = JSON.readTree(file.toFile());
        Map<String, Integer> specials = new HashMap<>();
        int maxId = -1;
        for (JsonNode t : root.path("added_tokens")) {
            specials.put(t.path("content").asText(), t.path("id").asInt());
            maxId = Math.max(maxId, t.path("id").asInt());
        }
        for (JsonNode id : root.path("model").path("vocab")) {
            maxId = Math.max(maxId, id.asInt());
        }
        String bos = "<s>";
        String eos = "</s>";
        String pad = "<pad>";
        Path config = file.resolveSibling("tokenizer_config.json");
        if (Files.isRegularFile(config)) {
            JsonNode c = JSON.readTree(config.toFile());
            bos = tokenName(c.get("bos_token"), bos);
            eos = tokenName(c.get("eos_token"), eos);
            pad = tokenName(c.get("pad_token"), pad);
        }
        int bosId = specials.getOrDefault(bos, -1);
        int eosId = specials.getOrDefault(eos, -1);
        int padId = specials.getOrDefault(pad, specials.getOrDefault("<unk>", eosId));
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
                .optTokenizerPath(file)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
        return new TextTokenizer(hf, bosId, eosId, padId, maxId + 1);
    }

    private static String tokenName(JsonNode n, String fallback) {
        if (n == null || n.isNull()) {
            return fallback;
        }
        return n.isTextual() ? n.asText() : n.path("content").asText(fallback);
    }

    /** Token ids of {@code text}, with the BOS token first when {@code addBos} and the tokenizer has one. */
    public int[] encode(String text, boolean addBos) {
        Encoding enc = tokenizer.encode(text, false, false);
        long[] ids = enc.getIds();
        boolean bos = addBos && bosId >= 0;
        int[] out = new int[ids.length + (bos ? 1 : 0)];
        int o = 0;
        if (bos) {
            out[o++] = bosId;
        }
        for (long id : ids) {
            out[o++] = Math.toIntExact(id);
        }
        return out;
    }

    /** Text of {@code ids}, special tokens skipped. */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    /** -1 when the tokenizer has none. */
    public int bosId() {
        return bosId;
    }

    /** -1 when the tokenizer has none. */
    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    /** 1 + the largest id in the vocabulary and added tokens. */
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
