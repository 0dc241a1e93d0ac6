package dev.adapterhub.registry.support;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Generates every test artifact in code: a tiny Llama checkpoint (config.json, model.safetensors, tokenizer.json)
 * and LoRA / SHiRA adapters for it, all written with the formats module. No binary files are checked in.
 */
public final class Fixtures {

    /** hidden 16, intermediate 32, 2 layers, 4 heads (head_dim 4), 2 KV heads, vocab 64. */
    public static final LlamaConfig TINY = LlamaConfig.of(16, 32, 2, 4, 2, 64);

    private Fixtures() {
    }

    public static byte[] configJson() {
        return configJson(TINY);
    }

    public static byte[] configJson(LlamaConfig config) {
        return config.toJson().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] tokenizerJson() {
        return ("{\"version\":\"1.0\",\"added_tokens\":[],\"model\":{\"type\":\"BPE\",\"vocab\":{\"<s>\":0,\"</s>\":1,"
                + "\"a\":2,\"b\":3},\"merges\":[]}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Every tensor of a Llama checkpoint for {@code config}, random values. */
    public static Map<String, Tensor> checkpointTensors(LlamaConfig config, long seed) {
        Random random = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        int h = config.hiddenSize();
        tensors.add(random2d(random, "model.embed_tokens.weight", config.vocabSize(), h));
        LinearModules.forLlama(config).modules().forEach((module, shape) ->
                tensors.add(random2d(random, module + ".weight", shape.out(), shape.in())));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            tensors.add(ones("model.layers." + i + ".input_layernorm.weight", h));
            tensors.add(ones("model.layers." + i + ".post_attention_layernorm.weight", h));
        }
        tensors.add(ones("model.norm.weight", h));
        tensors.add(random2d(random, "lm_head.weight", config.vocabSize(), h));
        return SafetensorsWriter.byName(tensors);
    }

    public static byte[] modelSafetensors() {
        return SafetensorsWriter.toBytes(checkpointTensors(TINY, 1));
    }

    public static byte[] safetensors(Map<String, Tensor> tensors) {
        return SafetensorsWriter.toBytes(tensors);
    }

    /** The two files of an adapter version. */
    public record AdapterFiles(byte[] config, byte[] weights) {
    }

    /** A rank-{@code r} LoRA on q_proj and v_proj of every layer of {@link #TINY}. */
    public static AdapterFiles lora(int r, long seed) {
        return lora(PeftConfig.lora(r, 2.0 * r, TargetModules.of("q_proj", "v_proj")), seed, UnaryOperator.identity());
    }

    /** A LoRA for {@code config}, with a hook that may change the tensor map (to break it on purpose). */
    public static AdapterFiles lora(PeftConfig config, long seed, UnaryOperator<Map<String, Tensor>> edit) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String module : config.targetModules().select(LinearModules.forLlama(TINY))) {
            LinearModules.Shape shape = LinearModules.forLlama(TINY).shape(module).orElseThrow();
            int r = config.rank(module);
            tensors.put(PeftKeys.loraA(module), random2d(random, PeftKeys.loraA(module), r, shape.in()));
            tensors.put(PeftKeys.loraB(module), random2d(random, PeftKeys.loraB(module), shape.out(), r));
        }
        return new AdapterFiles(config.toJson().getBytes(StandardCharsets.UTF_8),
                SafetensorsWriter.toBytes(edit.apply(tensors)));
    }

    /** A SHiRA adapter on q_proj with K = r·(in + out) unique random index pairs per layer. */
    public static AdapterFiles shira(int r, long seed) {
        PeftConfig config = PeftConfig.shira(r, TargetModules.of("q_proj"), "random", seed);
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String module : config.targetModules().select(LinearModules.forLlama(TINY))) {
            LinearModules.Shape shape = LinearModules.forLlama(TINY).shape(module).orElseThrow();
            int k = (int) PeftKeys.shiraK(r, shape.out(), shape.in());
            Set<Long> picked = new LinkedHashSet<>();
            while (picked.size() < k) {
                picked.add((long) random.nextInt((int) (shape.out() * shape.in())));
            }
            int[] indices = new int[2 * k];
            float[] values = new float[k];
            int i = 0;
            for (long flat : picked) {
                indices[i] = (int) (flat / shape.in());
                indices[k + i] = (int) (flat % shape.in());
                values[i] = (float) random.nextGaussian() * 0.01f;
                i++;
            }
            tensors.put(PeftKeys.shiraWeight(module),
                    Tensor.ofFloats(PeftKeys.shiraWeight(module), new long[] {k}, values));
            tensors.put(PeftKeys.shiraIndices(module),
                    Tensor.ofInts(PeftKeys.shiraIndices(module), DType.I32, new long[] {2, k}, indices));
        }
        return new AdapterFiles(config.toJson().getBytes(StandardCharsets.UTF_8), SafetensorsWriter.toBytes(tensors));
    }

    public static Tensor random2d(Random random, String name, long rows, long cols) {
        float[] values = new float[(int) (rows * cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.02f;
        }
        return Tensor.ofFloats(name, new long[] {rows, cols}, values);
    }

    private static Tensor ones(String name, int size) {
        float[] values = new float[size];
        java.util.Arrays.fill(values, 1f);
        return Tensor.ofFloats(name, new long[] {size}, values);
    }
}
