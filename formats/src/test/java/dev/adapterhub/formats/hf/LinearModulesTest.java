package dev.adapterhub.formats.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearModulesTest {

    static final LlamaConfig TINY = LlamaConfig.of(16, 32, 2, 4, 2, 50);

    /** The tensors of a tiny Llama checkpoint (zeros), named and shaped as transformers saves them. */
    static List<Tensor> checkpointTensors(LlamaConfig c) {
        List<Tensor> out = new ArrayList<>();
        out.add(zeros("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize()));
        out.add(zeros("model.norm.weight", c.hiddenSize()));
        out.add(zeros("lm_head.weight", c.vocabSize(), c.hiddenSize()));
        LinearModules.forLlama(c).modules().forEach((m, s) -> out.add(zeros(m + ".weight", s.out(), s.in())));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            out.add(zeros("model.layers." + i + ".input_layernorm.weight", c.hiddenSize()));
            out.add(zeros("model.layers." + i + ".post_attention_layernorm.weight", c.hiddenSize()));
        }
        return out;
    }

    static Tensor zeros(String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new Tensor(name, DType.BF16, shape, new byte[(int) n * 2]);
    }

    @Test
    void llamaShapesWithGroupedQueryAttention() {
        LinearModules m = LinearModules.forLlama(TINY);
        assertEquals(14, m.size());
        assertEquals(new LinearModules.Shape(16, 16), m.shape("model.layers.0.self_attn.q_proj").orElseThrow());
        assertEquals(new LinearModules.Shape(8, 16), m.shape("model.layers.1.self_attn.k_proj").orElseThrow());
        assertEquals(new LinearModules.Shape(8, 16), m.shape("model.layers.1.self_attn.v_proj").orElseThrow());
        assertEquals(new LinearModules.Shape(16, 16), m.shape("model.layers.1.self_attn.o_proj").orElseThrow());
        assertEquals(new LinearModules.Shape(32, 16), m.shape("model.layers.0.mlp.gate_proj").orElseThrow());
        assertEquals(new LinearModules.Shape(32, 16), m.shape("model.layers.0.mlp.up_proj").orElseThrow());
        assertEquals(new LinearModules.Shape(16, 32), m.shape("model.layers.0.mlp.down_proj").orElseThrow());
    }

    @Test
    void suffixMatchingLikePeft() {
        LinearModules m = LinearModules.forLlama(TINY);
        assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.q_proj"),
                m.matching("q_proj"));
        assertEquals(List.of("model.layers.1.self_attn.q_proj"), m.matching("model.layers.1.self_attn.q_proj"));
        assertEquals(List.of("model.layers.1.self_attn.q_proj"), m.matching("1.self_attn.q_proj"));
        assertEquals(4, m.matching("self_attn.k_proj").size() + m.matching("v_proj").size());
        assertTrue(m.matching("proj").isEmpty(), "a suffix must start at a '.' boundary");
        assertTrue(m.matching("_proj").isEmpty());
        assertEquals(14, m.matching(LinearModules.ALL_LINEAR).size());
        assertEquals(6, m.matching(List.of("q_proj", "v_proj", "q_proj", "down_proj")).size());
    }

    @Test
    void fromSingleFileCheckpointMatchesConfig(@TempDir Path dir) throws Exception {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), SafetensorsWriter.byName(checkpointTensors(TINY)));
        LinearModules fromFile = LinearModules.fromCheckpoint(dir);
        assertEquals(new TreeMap<>(LinearModules.forLlama(TINY).modules()), new TreeMap<>(fromFile.modules()));
        assertTrue(!fromFile.contains("lm_head") && !fromFile.contains("model.embed_tokens"));
    }

    @Test
    void fromShardedCheckpoint(@TempDir Path dir) throws Exception {
        List<Tensor> all = checkpointTensors(TINY);
        Map<String, Tensor> a = new TreeMap<>();
        Map<String, Tensor> b = new TreeMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {\"total_size\": 1}, \"weight_map\": {");
        for (int i = 0; i < all.size(); i++) {
            Tensor t = all.get(i);
            boolean first = i % 2 == 0;
            (first ? a : b).put(t.name(), t);
            index.append(i == 0 ? "" : ",").append('"').append(t.name()).append("\": \"")
                    .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
                    .append('"');
        }
        index.append("}}");
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), a);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), b);
        Files.writeString(dir.resolve(HfCheckpoint.INDEX_FILE), index);
        HfCheckpoint ckpt = HfCheckpoint.open(dir);
        assertEquals(all.size(), ckpt.tensors().size());
        assertEquals(2, ckpt.headers().size());
        assertEquals(dir.resolve("model-00002-of-00002.safetensors"), ckpt.files().get(all.get(1).name()));
        assertEquals(new TreeMap<>(LinearModules.forLlama(TINY).modules()),
                new TreeMap<>(ckpt.linearModules().modules()));

        Files.writeString(dir.resolve(HfCheckpoint.INDEX_FILE),
                index.toString().replace("model-00002-of-00002", "../evil"));
        String msg = assertThrows(InvalidModelException.class, () -> HfCheckpoint.open(dir)).getMessage();
        assertTrue(msg.contains("same directory"), msg);
    }

    @Test
    void rejectsPickleOnlyCheckpoint(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        String msg = assertThrows(InvalidModelException.class, () -> HfCheckpoint.open(dir)).getMessage();
        assertTrue(msg.contains("never loaded"), msg);
    }
}
