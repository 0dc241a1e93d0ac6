package dev.adapterhub.engine.serve;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.shira.ShiraPeft;
import dev.adapterhub.engine.model.ForwardContext;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.formats.hf.LlamaConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serving engine on an F16 base, as the gateway serves one with {@code runtime.dtype} float16 (auto on a GPU):
 * per-row LoRA beside base rows, a fused SHiRA and a merged LoRA give the tokens the plain generator gives on the
 * same F16 weights, and every switch leaves the F16 weights bit-exactly as loaded.
 */
class ServingEngineHalfPrecisionTest {

    private static final List<String> ALL = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj");
    private static final String[] PROMPTS = {"Hello", "The quick brown fox", "a", "Serving many adapters at once"};

    @TempDir
    static Path tmp;
    static LlamaModel served;
    static LlamaModel reference;
    static TextTokenizer tokenizer;
    static Path lora;
    static Path loraB;
    static Path shira;

    @BeforeAll
    static void setUp() throws Exception {
        Path modelDir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(7), tmp.resolve("model"));
        served = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT16);
        reference = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT16);
        tokenizer = TextTokenizer.load(modelDir);
        LlamaConfig config = LlamaConfig.read(modelDir);
        lora = RandomAdapters.lora(config, tmp.resolve("lora"), ALL, 8, 8, 3, "tiny-llama");
        loraB = RandomAdapters.lora(config, tmp.resolve("lora-b"), List.of("q_proj", "v_proj"), 4, 6, 5,
                "tiny-llama");
        shira = RandomAdapters.shira(config, tmp.resolve("shira"), ALL, 2, 0.5f, 4, "tiny-llama");
        LoraPeft.apply(reference, lora, "lora");
        LoraPeft.apply(reference, loraB, "lora-b");
    }

    @AfterAll
    static void tearDown() {
        tokenizer.close();
        served.close();
        reference.close();
    }

    @ParameterizedTest(name = "compiled steps {0}")
    @ValueSource(booleans = {true, false})
    void baseLoraAndShiraRowsGiveTheGeneratorsTokens(boolean compiledSteps) throws Exception {
        assertEquals(DataType.FLOAT16, served.dataType());
        byte[] before = weights();
        String[] adapters = {null, "lora", "lora-b", "shira"};
        List<int[]> expected = new ArrayList<>();
        for (String prompt : PROMPTS) {
            for (String adapter : adapters) {
                expected.add(alone(tokenizer.encode(prompt, true), adapter, 8));
            }
        }
        for (int a = 1; a < adapters.length; a++) {
            boolean differs = false;
            for (int p = 0; p < PROMPTS.length; p++) {
                differs |= !Arrays.equals(expected.get(p * adapters.length), expected.get(p * adapters.length + a));
            }
            assertTrue(differs, adapters[a] + " does not change any output: the comparison could not fail");
        }

        ServingSettings settings = ServingSettings.defaults().withMaxBatchRows(8)
                .withPhaseQuantum(Duration.ofMillis(50)).withCompiledSteps(compiledSteps);
        try (ServingEngine engine = start(settings)) {
            List<RequestHandle> handles = new ArrayList<>();
            List<int[]> order = new ArrayList<>(); // {prompt, adapter}: base and LoRA rows interleaved, SHiRA last
            for (int a = 0; a < adapters.length; a++) {
                for (int p = 0; p < PROMPTS.length; p++) {
                    order.add(new int[] {p, a});
                }
            }
            order.sort(java.util.Comparator.comparingInt((int[] pa) -> "shira".equals(adapters[pa[1]]) ? 1 : 0)
                    .thenComparingInt(pa -> pa[0]));
            for (int[] pa : order) {
                handles.add(engine.submit(ServeRequest.text(PROMPTS[pa[0]]).withAdapter(adapters[pa[1]])
                        .withMaxTokens(8), null));
            }
            for (int i = 0; i < handles.size(); i++) {
                int p = order.get(i)[0];
                int a = order.get(i)[1];
                assertArrayEquals(expected.get(p * adapters.length + a), handles.get(i).result()
                        .get(2, TimeUnit.MINUTES).tokenIds(), PROMPTS[p] + " with " + adapters[a]);
            }
            EngineStats s = engine.stats();
            assertTrue(s.mixedDecodeSteps() > 0, "decode steps batched both LoRAs: " + s);
            assertTrue(s.switches() >= 1, "the SHiRA was fused: " + s);
            assertEquals(compiledSteps ? s.decodeSteps() : 0, s.compiledDecodeSteps(), "compiled steps: " + s);
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().runningRows() == 0);
        }
        assertArrayEquals(before, weights(), "closing the engine restores the F16 weights bit-exactly");
    }

    @Test
    void aMergedLoraGivesItsTokensAndRestoresTheF16WeightsExactly() throws Exception {
        byte[] before = weights();
        int[] prompt = tokenizer.encode("The quick brown fox", true);
        int[] withLora = alone(prompt, "lora", 10);
        int[] base = alone(prompt, null, 10);
        ServingSettings settings = ServingSettings.defaults().withLoraFusion(LoraFusion.AUTO).withFuseMinRequests(3);
        try (ServingEngine engine = start(settings)) {
            List<RequestHandle> hs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hs.add(engine.submit(ServeRequest.tokens(prompt).withAdapter("lora").withMaxTokens(10), null));
            }
            for (RequestHandle h : hs) {
                assertArrayEquals(withLora, h.result().get(2, TimeUnit.MINUTES).tokenIds());
            }
            assertTrue(engine.stats().switches() >= 1, "the dominant LoRA was merged: " + engine.stats());
            assertArrayEquals(base, engine.submit(ServeRequest.tokens(prompt).withMaxTokens(10), null).result()
                    .get(2, TimeUnit.MINUTES).tokenIds());
            assertEquals(SchedulerPhase.MIXED, engine.stats().phase());
        }
        assertArrayEquals(before, weights(), "a merge and its restore leave the F16 weights bit-exactly as loaded");
    }

    private static ServingEngine start(ServingSettings settings) {
        ServingEngine e = ServingEngine.start(served, tokenizer, settings);
        e.loadAdapter("lora", lora);
        e.loadAdapter("lora-b", loraB);
        e.loadAdapter("shira", shira);
        return e;
    }

    /** Greedy tokens with one adapter alone (null = base) from the plain generator on the F16 reference model. */
    private static int[] alone(int[] prompt, String adapter, int maxTokens) throws java.io.IOException {
        GenerationRequest r = GenerationRequest.greedy(prompt, maxTokens)
                .withStops(new int[] {tokenizer.eosId()}, List.of());
        Generator g = new Generator(reference, tokenizer);
        if (!"shira".equals(adapter)) { // LoRAs are attached to the reference under their names
            return g.generate(r.withAdapter(adapter == null ? ForwardContext.BASE : adapter)).tokenIds();
        }
        ShiraPeft.fuse(reference, shira, adapter);
        try {
            return g.generate(r.withAdapter(ForwardContext.BASE)).tokenIds();
        } finally {
            ShiraPeft.unfuse(reference, adapter);
        }
    }

    /** The raw bytes of two weights both adapters change: F16 as stored, so a rounding shows. */
    private static byte[] weights() {
        byte[] q = served.linear("model.layers.0.self_attn.q_proj").weight().toByteArray();
        byte[] down = served.linear("model.layers.1.mlp.down_proj").weight().toByteArray();
        byte[] both = Arrays.copyOf(q, q.length + down.length);
        System.arraycopy(down, 0, both, q.length, down.length);
        return both;
    }
}
