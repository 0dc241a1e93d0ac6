package dev.adapterhub.engine.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.ForwardContext;
import dev.adapterhub.engine.model.LinearAdapter;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    @TempDir
    static Path tmp;
    static LlamaModel model;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(42), tmp.resolve("m"));
        model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
        tokenizer = TextTokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        model.close();
    }

    /** Greedy decoding by re-running the full forward on the whole sequence every step (no cache). */
    static int[] referenceGreedy(int[] prompt, int n) {
        List<Integer> seq = new ArrayList<>();
        for (int p : prompt) {
            seq.add(p);
        }
        int[] out = new int[n];
        try (NDManager m = Devices.newManager(Device.cpu())) {
            for (int i = 0; i < n; i++) {
                long[][] ids = {seq.stream().mapToLong(Integer::longValue).toArray()};
                NDArray logits = model.forward(m.create(ids));
                int next = (int) logits.get(0).get(seq.size() - 1).argMax().getLong();
                out[i] = next;
                seq.add(next);
            }
        }
        return out;
    }

    /** A rank-4 LoRA (alpha 8) with N(0, 0.3²) factors, in the model's manager, attached to {@code l}. */
    static void attachRandomLora(LlamaModel owner, AdaptableLinear l, String name, Random r) {
        float[] a = new float[4 * l.inFeatures()];
        float[] b = new float[l.outFeatures() * 4];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian() * 0.3f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian() * 0.3f;
        }
        NDManager mm = owner.manager();
        l.attach(name, LoraAdapter.create(mm, mm.create(a, new ai.djl.ndarray.types.Shape(4, l.inFeatures())),
                mm.create(b, new ai.djl.ndarray.types.Shape(l.outFeatures(), 4)), 8f, false));
    }

    @Test
    void kvCacheGreedyEqualsFullForwardGreedy() {
        int[] prompt = tokenizer.encode("The quick brown fox", true);
        int[] expected = referenceGreedy(prompt, 12);
        GenerationResult r = new Generator(model, tokenizer).generate(GenerationRequest.greedy(prompt, 12));
        assertArrayEquals(expected, r.tokenIds());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(prompt.length, r.promptTokens());
        assertEquals(tokenizer.decode(expected), r.text());
    }

    @Test
    void batchedGenerationEqualsPerRowGeneration() {
        Generator g = new Generator(model, tokenizer);
        List<GenerationRequest> reqs = List.of(
                GenerationRequest.greedy(tokenizer.encode("a", true), 10),
                GenerationRequest.greedy(tokenizer.encode("a much longer prompt than the first", true), 7),
                GenerationRequest.greedy(tokenizer.encode("mid length prompt", true), 10));
        List<GenerationResult> batched = g.generateBatch(reqs);
        for (int i = 0; i < reqs.size(); i++) {
            GenerationResult alone = g.generate(reqs.get(i));
            assertArrayEquals(alone.tokenIds(), batched.get(i).tokenIds(), "row " + i);
            assertEquals(reqs.get(i).maxNewTokens(), batched.get(i).tokenIds().length);
        }
    }

    /**
     * Rows that finish leave the batch once at most half are still generating; the rest go on from a trimmed cache
     * (here the long prompts finish first, so the leading padding of the short ones is dropped too) and yield what
     * they yield alone, compiled and eager.
     */
    @Test
    void finishedRowsLeaveTheBatchAndTheRestGenerateAsAlone() {
        Generator g = new Generator(model, tokenizer);
        String[] prompts = {"a long prompt that finishes early", "hi", "another long prompt, done soon", "x",
            "a third long prompt", "y"};
        int[] lengths = {2, 14, 3, 14, 4, 9};
        for (String adapter : new String[] {null, ForwardContext.BASE}) {
            List<GenerationRequest> reqs = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) {
                GenerationRequest r = GenerationRequest.greedy(tokenizer.encode(prompts[i], true), lengths[i]);
                reqs.add(adapter == null ? r : r.withAdapter(adapter));
            }
            List<GenerationResult> batched = g.generateBatch(reqs);
            for (int i = 0; i < reqs.size(); i++) {
                assertArrayEquals(g.generate(reqs.get(i)).tokenIds(), batched.get(i).tokenIds(),
                        adapter + " row " + i);
                assertEquals(lengths[i], batched.get(i).tokenIds().length);
            }
        }
    }

    /** Without adapters every step runs compiled (ADR 16); a BASE row forces the eager forward. */
    @Test
    void compiledStepsGenerateWhatTheEagerForwardGenerates() {
        Generator g = new Generator(model, tokenizer);
        List<GenerationRequest> reqs = List.of(
                GenerationRequest.greedy(tokenizer.encode("short", true), 24),
                GenerationRequest.greedy(tokenizer.encode("a prompt that is a good deal longer", true), 24),
                GenerationRequest.greedy(tokenizer.encode("x", true), 24));
        List<GenerationResult> compiled = g.generateBatch(reqs);
        List<GenerationResult> eager = g.generateBatch(reqs.stream()
                .map(r -> r.withAdapter(ForwardContext.BASE)).toList());
        assertTrue(model.compiledStep().isPresent(), "the decode step compiles");
        for (int i = 0; i < reqs.size(); i++) {
            assertArrayEquals(eager.get(i).tokenIds(), compiled.get(i).tokenIds(), "row " + i);
        }
    }

    /**
     * An attached LoRA rides along in the compiled steps as factors: the same tokens as the eager forward applying
     * it (a per-row adapter forces the eager path), and not the base's tokens.
     */
    @Test
    void anAttachedLoraGeneratesCompiledWhatTheEagerForwardGenerates() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(42), tmp.resolve("attached"));
        try (LlamaModel own = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32)) {
            Random r = new Random(5);
            for (AdaptableLinear l : own.linears().values()) {
                if (l.name().endsWith("v_proj") || l.name().endsWith("down_proj") || l.name().equals("lm_head")) {
                    attachRandomLora(own, l, "t", r);
                }
            }
            Generator g = new Generator(own, tokenizer);
            List<GenerationRequest> reqs = List.of(
                    GenerationRequest.greedy(tokenizer.encode("short", true), 16),
                    GenerationRequest.greedy(tokenizer.encode("a prompt that is a good deal longer", true), 16));
            List<GenerationResult> compiled = g.generateBatch(reqs);
            long calls = own.compiledStep().orElseThrow().calls();
            assertEquals(16, calls, "the prompt and 15 decode steps ran compiled");
            List<GenerationResult> eager = g.generateBatch(reqs.stream().map(q -> q.withAdapter("t")).toList());
            List<GenerationResult> base = g.generateBatch(reqs.stream()
                    .map(q -> q.withAdapter(ForwardContext.BASE)).toList());
            assertEquals(calls, own.compiledStep().orElseThrow().calls(), "per-row adapters run eagerly");
            for (int i = 0; i < reqs.size(); i++) {
                assertArrayEquals(eager.get(i).tokenIds(), compiled.get(i).tokenIds(), "row " + i);
                assertFalse(Arrays.equals(base.get(i).tokenIds(), compiled.get(i).tokenIds()), "row " + i);
            }
        }
    }

    /** After a run-time failure of the compiled step the model offers none, and generation goes on eagerly. */
    @Test
    void aFailedCompiledStepFallsBackToTheEagerForward() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(42), tmp.resolve("fallback"));
        try (LlamaModel own = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32)) {
            Generator g = new Generator(own, tokenizer);
            GenerationRequest r = GenerationRequest.greedy(tokenizer.encode("fall back", true), 12);
            int[] compiled = g.generate(r).tokenIds();
            assertTrue(own.compiledStep().isPresent());
            own.compiledStepFailed(new IllegalStateException("simulated fuser failure"));
            assertFalse(own.compiledStep().isPresent());
            assertArrayEquals(compiled, g.generate(r).tokenIds());
        }
    }

    @Test
    void samplingIsSeededAndStopsWork() {
        Generator g = new Generator(model, tokenizer);
        int[] prompt = tokenizer.encode("Once upon", true);
        GenerationRequest s = GenerationRequest.greedy(prompt, 16).withSampling(1.5f, 0.95f, 7L);
        int[] a = g.generate(s).tokenIds();
        int[] b = g.generate(s).tokenIds();
        assertArrayEquals(a, b);
        int[] c = g.generate(s.withSampling(1.5f, 0.95f, 8L)).tokenIds();
        assertFalse(Arrays.equals(a, c), "different seeds should sample differently");
        // top-p tiny == greedy
        assertArrayEquals(g.generate(GenerationRequest.greedy(prompt, 16)).tokenIds(),
                g.generate(s.withSampling(1.5f, 1e-6f, 9L)).tokenIds());

        int[] greedy = g.generate(GenerationRequest.greedy(prompt, 10)).tokenIds();
        int stopToken = greedy[4];
        int firstAt = 0;
        while (greedy[firstAt] != stopToken) {
            firstAt++;
        }
        GenerationResult stopped = g.generate(GenerationRequest.greedy(prompt, 10).withStops(new int[] {stopToken}, null));
        assertEquals(FinishReason.STOP_TOKEN, stopped.finishReason());
        assertArrayEquals(Arrays.copyOf(greedy, firstAt + 1), stopped.tokenIds());

        String full = tokenizer.decode(greedy);
        String stopString = full.substring(3, 5);
        GenerationResult byString = g.generate(GenerationRequest.greedy(prompt, 10)
                .withStops(null, List.of(stopString)));
        assertEquals(FinishReason.STOP_STRING, byString.finishReason());
        assertEquals(full.substring(0, full.indexOf(stopString)), byString.text());
    }

    @Test
    void perRowAdaptersInABatchMatchEachAdapterAlone() {
        Random r = new Random(1);
        for (AdaptableLinear l : model.linears().values()) {
            if (l.name().endsWith("q_proj") || l.name().endsWith("up_proj")) {
                for (String name : List.of("x", "y")) {
                    attachRandomLora(model, l, name, r);
                }
            }
        }
        try {
            Generator g = new Generator(model, tokenizer);
            int[] p1 = tokenizer.encode("adapter one", true);
            int[] p2 = tokenizer.encode("and the base model here", true);
            int[] p3 = tokenizer.encode("two", true);
            List<GenerationRequest> reqs = List.of(GenerationRequest.greedy(p1, 8).withAdapter("x"),
                    GenerationRequest.greedy(p2, 8), GenerationRequest.greedy(p3, 8).withAdapter("y"));
            List<GenerationResult> batched = g.generateBatch(reqs);
            for (int i = 0; i < reqs.size(); i++) {
                assertArrayEquals(g.generate(reqs.get(i)).tokenIds(), batched.get(i).tokenIds(), "row " + i);
            }
            // ForwardContext.BASE selects the base weights for one row; it differs from adapter x's output
            int[] baseRow = g.generateBatch(List.of(GenerationRequest.greedy(p1, 8).withAdapter("x"),
                    GenerationRequest.greedy(p1, 8).withAdapter(ForwardContext.BASE))).get(1).tokenIds();
            assertFalse(Arrays.equals(batched.get(0).tokenIds(), baseRow), "adapter x must change the output");
            for (AdaptableLinear l : model.linears().values()) {
                l.setActive(java.util.Set.of());
            }
            assertArrayEquals(g.generate(GenerationRequest.greedy(p1, 8)).tokenIds(), baseRow);
            for (AdaptableLinear l : model.linears().values()) {
                l.setActive(java.util.Set.of("x", "y"));
            }
        } finally {
            for (AdaptableLinear l : model.linears().values()) {
                for (String name : List.of("x", "y")) {
                    LinearAdapter a = l.detach(name);
                    if (a != null) {
                        a.close();
                    }
                }
            }
        }
    }
}
