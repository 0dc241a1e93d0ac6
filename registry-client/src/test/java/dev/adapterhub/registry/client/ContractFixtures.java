package dev.adapterhub.registry.client;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The artifacts the contract test registers, written with the formats module (as the registry's own tests do):
 * a tiny Llama checkpoint, a LoRA adapter for it and a JSONL dataset. No engine, no binary files checked in.
 */
final class ContractFixtures {

    /** hidden 16, intermediate 32, 2 layers, 4 heads, 2 KV heads, vocab 64. */
    static final LlamaConfig TINY = LlamaConfig.of(16, 32, 2, 4, 2, 64);

    private ContractFixtures() {
    }

    /** config.json, tokenizer.json and model.safetensors of the tiny base model, in {@code dir}. */
    static Path baseModel(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), TINY.toJson());
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"added_tokens\":[],\"model\":"
                + "{\"type\":\"BPE\",\"vocab\":{\"<s>\":0,\"</s>\":1,\"a\":2,\"b\":3},\"merges\":[]}}");
        Random random = new Random(1);
        List<Tensor> tensors = new ArrayList<>();
        int h = TINY.hiddenSize();
        tensors.add(random2d(random, "model.embed_tokens.weight", TINY.vocabSize(), h));
        LinearModules.forLlama(TINY).modules().forEach((module, shape) ->
                tensors.add(random2d(random, module + ".weight", shape.out(), shape.in())));
        for (int i = 0; i < TINY.numHiddenLayers(); i++) {
            tensors.add(ones("model.layers." + i + ".input_layernorm.weight", h));
            tensors.add(ones("model.layers." + i + ".post_attention_layernorm.weight", h));
        }
        tensors.add(ones("model.norm.weight", h));
        tensors.add(random2d(random, "lm_head.weight", TINY.vocabSize(), h));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), SafetensorsWriter.byName(tensors));
        return dir;
    }

    /** A rank-2 LoRA on q_proj and v_proj of every layer: adapter_config.json and adapter_model.safetensors. */
    static Path lora(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        PeftConfig config = PeftConfig.lora(2, 4.0, TargetModules.of("q_proj", "v_proj"));
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String module : config.targetModules().select(LinearModules.forLlama(TINY))) {
            LinearModules.Shape shape = LinearModules.forLlama(TINY).shape(module).orElseThrow();
            int r = config.rank(module);
            tensors.put(PeftKeys.loraA(module), random2d(random, PeftKeys.loraA(module), r, shape.in()));
            tensors.put(PeftKeys.loraB(module), random2d(random, PeftKeys.loraB(module), shape.out(), r));
        }
        Files.writeString(dir.resolve("adapter_config.json"), config.toJson());
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), tensors);
        return dir;
    }

    /** {@code n} prompt/completion lines. */
    static byte[] jsonl(int n, String topic) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("{\"prompt\": \"").append(topic).append(' ').append(i).append("\", \"completion\": \"answer ")
                    .append(i).append("\"}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Tensor random2d(Random random, String name, long rows, long cols) {
        float[] values = new float[(int) (rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.02f;
        }
        return Tensor.ofFloats(name, new long[] {rows, cols}, values);
    }

    private static Tensor ones(String name, int size) {
        float[] values = new float[size];
        Arrays.fill(values, 1f);
        return Tensor.ofFloats(name, new long[] {size}, values);
    }
}
