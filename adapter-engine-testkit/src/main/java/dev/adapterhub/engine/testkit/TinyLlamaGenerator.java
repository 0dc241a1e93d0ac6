package dev.adapterhub.engine.testkit;

import dev.adapterhub.formats.hf.HfCheckpointWriter;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes deterministic random-weight Llama checkpoints in the HF layout: {@code config.json},
 * {@code model.safetensors} (or shards + index) and the byte-level {@code tokenizer.json}. Same spec, same bytes.
 *
 * <pre>
 * java -cp adapter-engine-testkit.jar:formats.jar:... dev.adapterhub.engine.testkit.TinyLlamaGenerator --out DIR
 *      [--layers 2] [--hidden 64] [--intermediate 128] [--heads 4] [--kv-heads 2] [--vocab 259]
 *      [--seed 0] [--dtype F32|F16|BF16] [--shards 1] [--tie] [--init-std 0.05] [--max-positions 512]
 * </pre>
 */
public final class TinyLlamaGenerator {

    private TinyLlamaGenerator() {
    }

    /** Writes the checkpoint into {@code dir} (created if needed) and returns {@code dir}. */
    public static Path generate(TinyLlamaSpec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        spec.config().write(dir.resolve(LlamaConfig.FILE_NAME));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        RandomWeights.generate(spec).forEach((name, w) ->
                tensors.put(name, Tensor.ofFloats(name, spec.dtype(), w.shape(), w.values())));
        HfCheckpointWriter.writeWeights(dir, tensors, spec.shards());
        if (spec.vocab() >= ByteLevelTokenizerJson.VOCAB_SIZE) {
            ByteLevelTokenizerJson.write(dir.resolve("tokenizer.json"));
        }
        return dir;
    }

    public static void main(String[] args) throws IOException {
        TinyLlamaSpec d = TinyLlamaSpec.tiny();
        Path out = null;
        int layers = d.layers(), hidden = d.hidden(), intermediate = d.intermediate(), heads = d.heads();
        int kvHeads = d.kvHeads(), vocab = d.vocab(), shards = d.shards(), maxPos = d.maxPositions();
        long seed = d.seed();
        DType dtype = d.dtype();
        boolean tie = d.tieEmbeddings();
        double std = d.initStd();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--tie")) {
                tie = true;
                continue;
            }
            if (i + 1 >= args.length) {
                usage("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--out" -> out = Path.of(v);
                case "--layers" -> layers = Integer.parseInt(v);
                case "--hidden" -> hidden = Integer.parseInt(v);
                case "--intermediate" -> intermediate = Integer.parseInt(v);
                case "--heads" -> heads = Integer.parseInt(v);
                case "--kv-heads" -> kvHeads = Integer.parseInt(v);
                case "--vocab" -> vocab = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--dtype" -> dtype = DType.valueOf(v.toUpperCase(Locale.ROOT));
                case "--shards" -> shards = Integer.parseInt(v);
                case "--init-std" -> std = Double.parseDouble(v);
                case "--max-positions" -> maxPos = Integer.parseInt(v);
                default -> usage("unknown option " + a);
            }
        }
        if (out == null) {
            usage("--out is required");
        }
        TinyLlamaSpec spec = new TinyLlamaSpec(layers, hidden, intermediate, heads, kvHeads, vocab, maxPos,
                d.ropeTheta(), d.rmsNormEps(), tie, seed, dtype, std, shards);
        generate(spec, out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: TinyLlamaGenerator --out DIR [--layers N] [--hidden N] [--intermediate N] "
                + "[--heads N] [--kv-heads N] [--vocab N] [--seed N] [--dtype F32|F16|BF16] [--shards N] [--tie] "
                + "[--init-std X] [--max-positions N]");
        System.exit(2);
    }
}
