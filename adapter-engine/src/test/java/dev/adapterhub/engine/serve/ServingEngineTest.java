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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServingEngineTest {

    @TempDir
    static Path tmp;
    static Path modelDir;
    /** The model the engines serve. */
    static LlamaModel served;
    /** A second instance for reference outputs (Generator with the adapter applied the engine's usual way). */
    static LlamaModel reference;
    static TextTokenizer tokenizer;
    static final Map<String, Path> LORAS = new LinkedHashMap<>();
    static final Map<String, Path> SHIRAS = new LinkedHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        modelDir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(7), tmp.resolve("model"));
        served = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT32);
        reference = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT32);
        tokenizer = TextTokenizer.load(modelDir);
        LlamaConfig config = LlamaConfig.read(modelDir);
        List<String> attn = List.of("q_proj", "k_proj", "v_proj", "o_proj");
        List<String> all = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        LORAS.put("lora-r2", RandomAdapters.lora(config, tmp.resolve("lora-r2"), List.of("q_proj", "v_proj"), 2, 2,
                1, "tiny-llama"));
        LORAS.put("lora-r4", RandomAdapters.lora(config, tmp.resolve("lora-r4"), attn, 4, 6, 2, "tiny-llama"));
        LORAS.put("lora-r8", RandomAdapters.lora(config, tmp.resolve("lora-r8"), all, 8, 8, 3, "tiny-llama"));
        SHIRAS.put("shira-a", RandomAdapters.shira(config, tmp.resolve("shira-a"), all, 2, 0.5f, 4, "tiny-llama"));
        SHIRAS.put("shira-b", RandomAdapters.shira(config, tmp.resolve("shira-b"), attn, 4, 0.5f, 5, "tiny-llama"));
        for (Map.Entry<String, Path> e : LORAS.entrySet()) {
            LoraPeft.apply(reference, e.getValue(), e.getKey());
        }
    }

    @AfterAll
    static void tearDown() {
        tokenizer.close();
        served.close();
        reference.close();
    }

    /** Greedy tokens of one prompt with one adapter alone (null = base), from the plain Generator. */
    static int[] alone(int[] prompt, String adapter, int maxTokens) throws Exception {
        GenerationRequest r = GenerationRequest.greedy(prompt, maxTokens)
                .withStops(new int[] {tokenizer.eosId()}, List.of());
        Generator g = new Generator(reference, tokenizer);
        if (adapter == null || LORAS.containsKey(adapter)) {
            return g.generate(r.withAdapter(adapter == null ? ForwardContext.BASE : adapter)).tokenIds();
        }
        ShiraPeft.fuse(reference, SHIRAS.get(adapter), adapter);
        try {
            return g.generate(r.withAdapter(ForwardContext.BASE)).tokenIds();
        } finally {
            ShiraPeft.unfuse(reference, adapter);
        }
    }

    static ServingEngine start(ServingSettings settings) {
        ServingEngine e = ServingEngine.start(served, tokenizer, settings);
        for (Map.Entry<String, Path> a : LORAS.entrySet()) {
            e.loadAdapter(a.getKey(), a.getValue());
        }
        for (Map.Entry<String, Path> a : SHIRAS.entrySet()) {
            e.loadAdapter(a.getKey(), a.getValue());
        }
        return e;
    }

    record Case(String prompt, String adapter, int maxTokens) {
    }

    /** Compiled: each prefill and decode step one TorchScript call; eager: the DJL forward (the fallback). */
    @ParameterizedTest(name = "compiled decode {0}")
    @ValueSource(booleans = {true, false})
    void mixedBatchEqualsEachAdapterAlone(boolean compiledSteps) throws Exception {
        float[] before = served.linear("model.layers.0.self_attn.q_proj").weight().toFloatArray();
        List<String> adapters = new ArrayList<>(Arrays.asList(null, "lora-r2", "lora-r4", "lora-r8", "shira-a",
                "shira-b"));
        String[] prompts = {"Hello", "The quick brown fox", "a", "Serving many adapters at once", "xyz 123",
            "Once upon a time there"};
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            cases.add(new Case(prompts[i % prompts.length], adapters.get(i % adapters.size()), 4 + (i * 5) % 11));
        }
        Map<Case, int[]> expected = new LinkedHashMap<>();
        for (Case c : cases) {
            expected.put(c, alone(tokenizer.encode(c.prompt(), true), c.adapter(), c.maxTokens()));
        }
        // every adapter changes the output of at least one prompt (the comparison below can fail)
        for (String a : adapters.subList(1, adapters.size())) {
            boolean differs = false;
            for (String p : prompts) {
                int[] ids = tokenizer.encode(p, true);
                differs |= !Arrays.equals(alone(ids, null, 8), alone(ids, a, 8));
            }
            assertTrue(differs, a + " does not change any output");
        }

        ServingSettings settings = ServingSettings.defaults().withMaxBatchRows(8).withMaxPrefillRows(3)
                .withPhaseQuantum(Duration.ofMillis(50)).withCompiledSteps(compiledSteps);
        try (ServingEngine engine = start(settings)) {
            ExecutorService clients = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ServeResult>> futures = new ArrayList<>();
            for (Case c : cases) {
                futures.add(clients.submit(() -> {
                    go.await();
                    return engine.submit(ServeRequest.text(c.prompt()).withAdapter(c.adapter())
                            .withMaxTokens(c.maxTokens()), null).result().get(2, TimeUnit.MINUTES);
                }));
            }
            go.countDown();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                ServeResult r = futures.get(i).get(3, TimeUnit.MINUTES);
                assertArrayEquals(expected.get(c), r.tokenIds(), "request " + i + " " + c);
                assertEquals(c.adapter(), r.adapterKey());
                assertEquals(r.tokenIds().length, r.completionTokens());
                assertNotNull(r.timeToFirstToken());
            }
            clients.shutdownNow();
            EngineStats s = engine.stats();
            assertTrue(s.mixedDecodeSteps() > 0, "some decode steps batched several LoRAs: " + s);
            assertEquals(compiledSteps ? s.decodeSteps() : 0, s.compiledDecodeSteps(), "compiled steps: " + s);
            assertEquals(compiledSteps ? s.prefillSteps() : 0, s.compiledPrefillSteps(), "compiled steps: " + s);
            assertTrue(s.switches() >= 4, "both SHiRAs were fused and unfused: " + s);
            assertEquals(cases.size(), s.completedRequests());
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().runningRows() == 0);
        }
        float[] after = served.linear("model.layers.0.self_attn.q_proj").weight().toFloatArray();
        assertArrayEquals(before, after, "SHiRA switching restores the base weights bit-exactly");
    }

    @Test
    void stepsLeakNoArraysIntoTheModelManager() throws Exception {
        ServingSettings settings = ServingSettings.defaults().withMaxBatchRows(6).withMaxPrefillRows(2);
        try (ServingEngine engine = start(settings)) {
            Runnable round = () -> {
                List<RequestHandle> hs = new ArrayList<>();
                String[] adapters = {null, "lora-r2", "lora-r4", "lora-r8", "shira-a"};
                for (int i = 0; i < 10; i++) {
                    hs.add(engine.submit(ServeRequest.text("prompt " + i).withAdapter(adapters[i % adapters.length])
                            .withMaxTokens(3 + i % 4), null));
                }
                hs.forEach(h -> h.result().join());
                // a base request last: the weights are plain again (a fused SHiRA holds its saved originals)
                engine.submit(ServeRequest.text("base"), null).result().join();
                await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().runningRows() == 0);
                assertEquals(SchedulerPhase.MIXED, engine.stats().phase());
            };
            round.run();
            int before = served.manager().getManagedArrays().size();
            round.run();
            round.run();
            assertEquals(before, served.manager().getManagedArrays().size(), "arrays left behind by serving steps");
        }
    }

    @Test
    void adapterLoadsAndUnloadsLeakNoArraysIntoTheModelManager() throws Exception {
        try (ServingEngine engine = start(ServingSettings.defaults())) {
            Runnable churn = () -> {
                for (Map.Entry<String, Path> a : List.of(Map.entry("churn-lora", LORAS.get("lora-r8")),
                        Map.entry("churn-shira", SHIRAS.get("shira-a")))) {
                    engine.loadAdapter(a.getKey(), a.getValue());
                    // served alone and beside another adapter: fusion, row buffers and the mixed path all run
                    RequestHandle mixed = engine.submit(ServeRequest.text("beside").withAdapter("lora-r2")
                            .withMaxTokens(3), null);
                    engine.submit(ServeRequest.text("churn").withAdapter(a.getKey()).withMaxTokens(3), null)
                            .result().join();
                    mixed.result().join();
                    engine.submit(ServeRequest.text("base"), null).result().join();
                    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().runningRows() == 0);
                    engine.unloadAdapter(a.getKey());
                }
            };
            churn.run();
            TensorMemory before = engine.tensorMemory();
            assertTrue(before.arrays() > 0 && before.bytes() > 0, before.toString());
            for (int i = 0; i < 5; i++) {
                churn.run();
            }
            assertEquals(before, engine.tensorMemory(), "tensors left behind by adapter loads and unloads");
            // the freed slot was zeroed: a smaller LoRA reusing it carries nothing of the 8-rank all-module one
            engine.loadAdapter("reuses-slot", LORAS.get("lora-r2"));
            ServeRequest probe = ServeRequest.text("The quick brown fox").withMaxTokens(8);
            assertArrayEquals(engine.submit(probe.withAdapter("lora-r2"), null).result().join().tokenIds(),
                    engine.submit(probe.withAdapter("reuses-slot"), null).result().join().tokenIds());
        }
    }

    @Test
    void loraFusionMergesADominantAdapterAndRestoresExactly() throws Exception {
        float[] before = served.linear("model.layers.1.mlp.down_proj").weight().toFloatArray();
        int[] prompt = tokenizer.encode("The quick brown fox", true);
        int[] expected = alone(prompt, "lora-r8", 10);
        int[] base = alone(prompt, null, 10);
        ServingSettings settings = ServingSettings.defaults().withLoraFusion(LoraFusion.AUTO).withFuseMinRequests(3);
        try (ServingEngine engine = start(settings)) {
            List<RequestHandle> hs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hs.add(engine.submit(ServeRequest.tokens(prompt).withAdapter("lora-r8").withMaxTokens(10), null));
            }
            for (RequestHandle h : hs) {
                assertArrayEquals(expected, h.result().get(2, TimeUnit.MINUTES).tokenIds());
            }
            EngineStats s = engine.stats();
            assertTrue(s.switches() >= 1, "the dominant LoRA was merged: " + s);
            // a base request un-merges it and sees the exact base weights again
            ServeResult r = engine.submit(ServeRequest.tokens(prompt).withMaxTokens(10), null).result()
                    .get(2, TimeUnit.MINUTES);
            assertArrayEquals(base, r.tokenIds());
            assertEquals(SchedulerPhase.MIXED, engine.stats().phase());
            assertArrayEquals(before, served.linear("model.layers.1.mlp.down_proj").weight().toFloatArray());
        }
    }

    @Test
    void streamingDeltasConcatenateToTheResultAndStopStringsCut() throws Exception {
        int[] prompt = tokenizer.encode("Once upon a time there", true);
        int[] full = alone(prompt, "lora-r4", 12);
        String fullText = tokenizer.decode(full);
        assertTrue(fullText.length() >= 4, "need some text to cut: '" + fullText + "'");
        String stop = fullText.substring(2, 4);
        try (ServingEngine engine = start(ServingSettings.defaults())) {
            StringBuilder streamed = new StringBuilder();
            List<String> deltas = new ArrayList<>();
            ServeResult r = engine.submit(ServeRequest.tokens(prompt).withAdapter("lora-r4").withMaxTokens(12)
                    .withStop(List.of(stop)), d -> {
                        deltas.add(d);
                        streamed.append(d);
                    }).result().get(2, TimeUnit.MINUTES);
            assertEquals(ServeFinishReason.STOP, r.finishReason());
            assertEquals(fullText.substring(0, fullText.indexOf(stop)), r.text());
            assertEquals(r.text(), streamed.toString());
            assertEquals(r.completionTokens(), deltas.size(), "one callback per generated token");
            assertFalse(streamed.toString().contains(stop));

            StringBuilder plain = new StringBuilder();
            ServeResult r2 = engine.submit(ServeRequest.tokens(prompt).withAdapter("lora-r4").withMaxTokens(12),
                    plain::append).result().get(2, TimeUnit.MINUTES);
            assertArrayEquals(full, r2.tokenIds());
            assertEquals(r2.text(), plain.toString());
        }
    }

    @Test
    void queueFullCancellationAndTimeouts() throws Exception {
        ServingSettings settings = ServingSettings.defaults().withMaxBatchRows(1).withMaxPrefillRows(1)
                .withMaxQueuedRequests(1).withMaxNewTokens(2000).withRetryAfter(Duration.ofSeconds(3));
        int[] prompt = tokenizer.encode("Hello", true);
        try (ServingEngine engine = start(settings)) {
            // tokens only, no EOS stop: the tiny model could emit EOS early, so use ids without a stop token
            List<String> seen = new ArrayList<>();
            // A slow client (2 ms per token, on the scheduler's thread) keeps the one batch row busy for about a
            // second, so the request queued behind it times out in the queue however fast decoding is.
            RequestHandle running = engine.submit(ServeRequest.tokens(prompt).withMaxTokens(500), slowly(seen));
            await().atMost(Duration.ofMinutes(1)).until(() -> engine.stats().runningRows() == 1 || running.result()
                    .isDone());
            RequestHandle queued = engine.submit(ServeRequest.tokens(prompt).withMaxTokens(5)
                    .withTimeout(Duration.ofMillis(300)), null);
            QueueFullException full = assertThrows(QueueFullException.class,
                    () -> engine.submit(ServeRequest.tokens(prompt), null));
            assertEquals(Duration.ofSeconds(3), full.retryAfter());
            assertEquals(1, engine.stats().rejectedRequests());

            ServeResult timedOut = queued.result().get(1, TimeUnit.MINUTES);
            assertEquals(ServeFinishReason.TIMEOUT, timedOut.finishReason());
            assertEquals(0, timedOut.completionTokens());

            await().atMost(Duration.ofMinutes(1)).until(() -> seen.size() >= 3 || running.result().isDone());
            running.cancel();
            ServeResult cancelled = running.result().get(1, TimeUnit.MINUTES);
            if (cancelled.finishReason() != ServeFinishReason.STOP) {
                assertEquals(ServeFinishReason.CANCELLED, cancelled.finishReason());
                assertTrue(cancelled.completionTokens() >= 3 && cancelled.completionTokens() < 500);
            }

            ServeResult runningTimeout = engine.submit(ServeRequest.tokens(prompt).withMaxTokens(500)
                    .withTimeout(Duration.ofMillis(400)), slowly(new ArrayList<>())).result().get(1, TimeUnit.MINUTES);
            if (runningTimeout.finishReason() != ServeFinishReason.STOP) {
                assertEquals(ServeFinishReason.TIMEOUT, runningTimeout.finishReason());
                assertTrue(runningTimeout.completionTokens() < 500);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().runningRows() == 0);
        }
    }

    /** A stream listener that records each delta and takes 2 ms per token, like a slow client. */
    private static TokenListener slowly(List<String> seen) {
        return delta -> {
            seen.add(delta);
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        };
    }

    @Test
    void adapterLifecycleAndCompatibility() throws Exception {
        Path otherModel = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSize(2, 32, 64, 4, 2, 259),
                tmp.resolve("other-model"));
        Path foreign = RandomAdapters.lora(LlamaConfig.read(otherModel), tmp.resolve("foreign-lora"), List.of("q_proj"),
                2, 2, 9, "tiny-llama");
        ServingSettings settings = ServingSettings.defaults().withBaseModelId("tiny-7").withMaxBatchRows(1);
        try (ServingEngine engine = ServingEngine.start(served, tokenizer, settings)) {
            IncompatibleAdapterException shape = assertThrows(IncompatibleAdapterException.class,
                    () -> engine.loadAdapter("foreign", foreign));
            assertFalse(shape.problems().isEmpty());
            assertFalse(engine.isLoaded("foreign"));
            IncompatibleAdapterException base = assertThrows(IncompatibleAdapterException.class,
                    () -> engine.loadAdapter("x", LORAS.get("lora-r2"), "some-other-base"));
            assertTrue(base.problems().get(0).contains("some-other-base"));
            assertThrows(IncompatibleAdapterException.class, () -> engine.loadAdapter("y", tmp.resolve("missing")));

            AdapterInfo info = engine.loadAdapter("a", LORAS.get("lora-r4"), "tiny-7");
            assertEquals(AdapterKind.LORA, info.kind());
            assertEquals(6, info.rank());
            assertEquals(8, info.modules().size());
            AdapterInfo s = engine.loadAdapter("s", SHIRAS.get("shira-a"));
            assertEquals(AdapterKind.SHIRA, s.kind());
            assertThrows(AdapterAlreadyLoadedException.class, () -> engine.loadAdapter("a", LORAS.get("lora-r4")));
            assertEquals(java.util.Set.of("a", "s"), engine.loadedAdapters());
            assertThrows(AdapterNotLoadedException.class,
                    () -> engine.submit(ServeRequest.text("hi").withAdapter("nope"), null));
            assertThrows(InvalidRequestException.class,
                    () -> engine.submit(ServeRequest.tokens(new int[] {100_000}), null));
            assertThrows(InvalidRequestException.class,
                    () -> engine.submit(ServeRequest.text("hi").withMaxTokens(5000), null));

            RequestHandle h = engine.submit(ServeRequest.tokens(tokenizer.encode("Hello", true)).withAdapter("s")
                    .withMaxTokens(400), null);
            assertThrows(AdapterInUseException.class, () -> engine.unloadAdapter("s"));
            h.cancel();
            h.result().get(1, TimeUnit.MINUTES);
            engine.unloadAdapter("s");
            engine.unloadAdapter("a");
            assertFalse(engine.isLoaded("a"));
            assertThrows(AdapterNotLoadedException.class, () -> engine.unloadAdapter("a"));
            // a re-load into the freed slot serves the adapter's own output again
            engine.loadAdapter("a2", LORAS.get("lora-r2"));
            int[] prompt = tokenizer.encode("The quick brown fox", true);
            assertArrayEquals(alone(prompt, "lora-r2", 6), engine.submit(ServeRequest.tokens(prompt)
                    .withAdapter("a2").withMaxTokens(6), null).result().get(1, TimeUnit.MINUTES).tokenIds());
        }
    }
}
