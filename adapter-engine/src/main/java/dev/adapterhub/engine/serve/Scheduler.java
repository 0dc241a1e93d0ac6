package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.generate.FinishReason;
import dev.adapterhub.engine.generate.HostLogits;
import dev.adapterhub.engine.generate.Sampler;
import dev.adapterhub.engine.generate.StopCheck;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.CompiledStep;
import dev.adapterhub.engine.model.ForwardInput;
import dev.adapterhub.engine.model.KvCache;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.method.shira.SparseDelta;
import dev.adapterhub.engine.tokenizer.TextTokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler thread: continuous batching at step boundaries. Each iteration runs pending adapter loads/unloads,
 * drops cancelled and timed-out requests, picks the weight phase, prefills newly admitted requests as one group
 * (their cache rows are appended to the running batch) and runs one decode step for all running rows. The decisions
 * (expiry, eligibility, admission, weight phase switches, LoRA fusion) are the {@link AdmissionPolicy}'s; this class
 * applies them to the tensors. The policy is described in adapter-engine/DESIGN.md.
 */
final class Scheduler implements Runnable {

    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());
    private static final long IDLE_NANOS = 100_000_000L;

    private final ServingEngine engine;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final ServingSettings settings;
    private final int padId;
    private final int[] stopTokens;
    private final AdmissionPolicy policy;
    private final SchedulerStats stats = new SchedulerStats();

    private LoraPool pool;
    private WeightSwitcher weights;
    private NDManager batchManager;
    private KvCache cache;
    /** The model's compiled step (prefill and decode), or null (off in the settings, or it did not compile). */
    private CompiledStep compiled;
    private final List<Job> rows = new ArrayList<>();
    private final java.util.ArrayDeque<Integer> freeEntries = new java.util.ArrayDeque<>();

    Scheduler(ServingEngine engine) {
        this.engine = engine;
        this.model = engine.model;
        this.tokenizer = engine.tokenizer;
        this.settings = engine.settings;
        this.padId = tokenizer == null || tokenizer.padId() < 0 ? 0 : tokenizer.padId();
        this.stopTokens = tokenizer == null || tokenizer.eosId() < 0 ? new int[0] : new int[] {tokenizer.eosId()};
        this.policy = new AdmissionPolicy(settings);
        for (int e = 0; e < settings.maxBatchRows(); e++) {
            freeEntries.add(e);
        }
    }

    @Override
    public void run() {
        Devices.inferenceThread();
        pool = new LoraPool(model);
        weights = new WeightSwitcher(model, pool);
        batchManager = model.manager().newSubManager();
        cache = KvCache.create(model, batchManager);
        compiled = settings.compiledSteps() ? model.compiledStep().orElse(null) : null;
        try {
            while (!engine.closed) {
                iterate();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "serving scheduler stopped", t);
            engine.closed = true;
        } finally {
            shutdown();
        }
    }

    private void iterate() throws InterruptedException {
        runTasks();
        long now = System.nanoTime();
        sweepQueue(now);
        sweepRows(now);
        List<Job> admitted = admit(now);
        if (!admitted.isEmpty()) {
            prefill(admitted);
        }
        if (!rows.isEmpty()) {
            decode();
        } else if (admitted.isEmpty()) {
            engine.await(IDLE_NANOS);
        }
        publish();
    }

    // ------------------------------------------------------------------------------------------------ adapters

    AdapterInfo install(AdapterFiles.HostAdapter host, long startNanos) {
        String key = host.info().key();
        if (engine.adapters.containsKey(key)) {
            throw new AdapterAlreadyLoadedException(key);
        }
        LoadedAdapter loaded;
        if (host.lora() != null) {
            int slot = pool.add(key, host.lora());
            loaded = LoadedAdapter.lora(host.info().withLoadTime(Duration.ofNanos(System.nanoTime() - startNanos)),
                    slot);
        } else {
            NDManager m = model.manager().newSubManager();
            Map<String, SparseModule> modules = new LinkedHashMap<>();
            for (Map.Entry<String, SparseDelta> e : host.shira().deltas().entrySet()) {
                AdaptableLinear l = model.linear(e.getKey());
                modules.put(e.getKey(), SparseModule.resident(m, e.getValue(), l,
                        host.shira().config().scaling(e.getKey())));
            }
            loaded = LoadedAdapter.shira(host.info().withLoadTime(Duration.ofNanos(System.nanoTime() - startNanos)),
                    modules, m);
        }
        engine.lock.lock();
        try {
            engine.adapters.put(key, loaded);
        } finally {
            engine.lock.unlock();
        }
        return loaded.info;
    }

    void uninstall(String key) {
        LoadedAdapter a;
        engine.lock.lock();
        try {
            a = engine.adapters.get(key);
            if (a == null) {
                throw new AdapterNotLoadedException(key);
            }
            if (engine.inUse.getOrDefault(key, 0) > 0) {
                throw new AdapterInUseException(key);
            }
            engine.adapters.remove(key);
        } finally {
            engine.lock.unlock();
        }
        if (key.equals(weights.currentKey())) {
            weights.restore();
        }
        if (!a.isShira()) {
            pool.remove(key);
        }
        a.close();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.tasks.poll()) != null) {
            task.run();
        }
    }

    // ------------------------------------------------------------------------------------------------ admission

    private void sweepQueue(long now) {
        List<Job> dropped = new ArrayList<>();
        engine.lock.lock();
        try {
            for (Iterator<Job> it = engine.queue.iterator(); it.hasNext(); ) {
                Job j = it.next();
                if (AdmissionPolicy.expiry(j.cancelled, j.deadlineNanos, now) != null) {
                    it.remove();
                    dropped.add(j);
                }
            }
        } finally {
            engine.lock.unlock();
        }
        for (Job j : dropped) {
            end(j, AdmissionPolicy.expiry(j.cancelled, j.deadlineNanos, now), null, now);
        }
    }

    private void sweepRows(long now) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Job j = rows.get(i);
            ServeFinishReason reason = AdmissionPolicy.expiry(j.cancelled, j.deadlineNanos, now);
            if (reason != null) {
                end(j, reason, null, now);
            } else {
                keep.add(i);
            }
        }
        retain(keep);
    }

    private List<Job> admit(long now) {
        List<Job> queued;
        engine.lock.lock();
        try {
            queued = new ArrayList<>(engine.queue);
        } finally {
            engine.lock.unlock();
        }
        for (Job j : queued) {
            if (j.adapter == null && j.adapterKey() != null) {
                j.adapter = engine.adapters.get(j.adapterKey());
            }
        }
        applyFusion(policy.fusion(weightsNow(), uses(rows), uses(queued)));
        if (queued.isEmpty()) {
            return List.of();
        }
        List<AdmissionPolicy.Queued> snapshot = new ArrayList<>(queued.size());
        for (Job j : queued) {
            snapshot.add(new AdmissionPolicy.Queued(use(j), j.submittedNanos));
        }
        AdmissionPolicy.Admission decision = policy.admit(snapshot, weightsNow(), rows.size(), now);
        if (decision.switchFor() >= 0) {
            switchFor(queued.get(decision.switchFor()));
        }
        List<Job> admitted = new ArrayList<>(decision.admitted().size());
        for (int i : decision.admitted()) {
            admitted.add(queued.get(i));
        }
        if (!admitted.isEmpty()) {
            engine.lock.lock();
            try {
                engine.queue.removeAll(admitted);
            } finally {
                engine.lock.unlock();
            }
        }
        return admitted;
    }

    /** Restores the base weights and fuses what {@code next} needs (a SHiRA, or nothing). */
    private void switchFor(Job next) {
        weights.restore();
        if (next.adapter != null && next.adapter.isShira()) {
            weights.fuseShira(next.adapter);
        }
    }

    private void applyFusion(AdmissionPolicy.Fusion fusion) {
        switch (fusion.action()) {
            case RESTORE -> weights.restore();
            case MERGE -> weights.mergeLora(engine.adapters.get(fusion.adapterKey()));
            case KEEP -> { }
            default -> throw new IllegalStateException(fusion.action().name());
        }
    }

    private AdmissionPolicy.Weights weightsNow() {
        return new AdmissionPolicy.Weights(weights.phase(), weights.currentKey());
    }

    /** What a job needs from the weights; a job whose adapter is not resolved runs on the base, as its slot says. */
    private static AdmissionPolicy.Use use(Job j) {
        if (j.adapter == null) {
            return AdmissionPolicy.Use.BASE;
        }
        return j.adapter.isShira() ? AdmissionPolicy.Use.shira(j.adapter.info.key())
                : AdmissionPolicy.Use.lora(j.adapter.info.key());
    }

    private static List<AdmissionPolicy.Use> uses(List<Job> jobs) {
        List<AdmissionPolicy.Use> out = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            out.add(use(j));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ steps

    private int slotFor(Job j) {
        if (j.adapter == null || j.adapter.isShira() || j.adapter == weights.current()) {
            return 0; // base, fused SHiRA or merged LoRA: the weights already hold it
        }
        return j.adapter.loraSlot;
    }

    private void prefill(List<Job> admitted) {
        int n = admitted.size();
        int len = admitted.stream().mapToInt(j -> j.promptIds.length).max().orElseThrow();
        long[][] ids = new long[n][len];
        long[][] pos = new long[n][len];
        long[][] mask = new long[n][len];
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            Job j = admitted.get(i);
            int pad = len - j.promptIds.length;
            Arrays.fill(ids[i], padId);
            for (int t = 0; t < j.promptIds.length; t++) {
                ids[i][pad + t] = j.promptIds[t];
                pos[i][pad + t] = t;
                mask[i][pad + t] = 1;
            }
            slots[i] = slotFor(j);
            j.nextPosition = j.promptIds.length;
            j.sampler = new Sampler(j.request.temperature(), j.request.topP(), j.request.seed());
            j.stream = new TextStream(tokenizer, j.request.stop());
        }
        float[][] logits;
        boolean compiledStep;
        try (NDManager sm = batchManager.newSubManager();
             KvCache fresh = KvCache.create(model, sm)) {
            NDArray out = tryCompiled(sm.create(ids), sm.create(pos), sm.create(mask), fresh,
                    () -> pool.forCompiled(slots, sm));
            compiledStep = out != null;
            if (out == null) {
                out = model.forward(ForwardInput.builder(sm.create(ids))
                        .positions(sm.create(pos))
                        .attentionMask(sm.create(mask))
                        .cache(fresh)
                        .rowDelta(pool.forRows(slots, sm))
                        .lastTokenOnly(true)
                        .build());
            }
            logits = HostLogits.rows(out);
            cache.appendRows(fresh);
        } catch (RuntimeException e) {
            for (Job j : admitted) {
                fail(j, e);
            }
            return;
        }
        stats.prefillStep(compiledStep);
        for (Job j : admitted) {
            j.entry = freeEntries.poll();
        }
        rows.addAll(admitted);
        int offset = rows.size() - n;
        step(logits, offset);
    }

    private void decode() {
        int b = rows.size();
        long[][] ids = new long[b][1];
        long[][] pos = new long[b][1];
        int[] slots = new int[b];
        int[] entries = new int[b];
        Set<Integer> distinct = new HashSet<>();
        for (int i = 0; i < b; i++) {
            Job j = rows.get(i);
            entries[i] = j.entry;
            ids[i][0] = j.lastToken;
            pos[i][0] = j.nextPosition;
            slots[i] = slotFor(j);
            if (slots[i] != 0) {
                distinct.add(slots[i]);
            }
        }
        float[][] logits;
        boolean compiledStep;
        try (NDManager sm = batchManager.newSubManager()) {
            NDArray out = tryCompiled(sm.create(ids), sm.create(pos), null, cache,
                    () -> pool.forCompiledDecode(slots, entries, settings.maxBatchRows(), sm));
            compiledStep = out != null;
            if (out == null) {
                out = model.forward(ForwardInput.builder(sm.create(ids))
                        .positions(sm.create(pos))
                        .cache(cache)
                        .rowDelta(pool.forDecode(slots, entries, settings.maxBatchRows(), sm))
                        .lastTokenOnly(true)
                        .build());
            }
            logits = HostLogits.rows(out);
        } catch (RuntimeException e) {
            for (Job j : rows) {
                fail(j, e);
            }
            rows.clear();
            cache.retainRows(new long[0]);
            return;
        }
        stats.decodeStep(distinct.size() > 1, compiledStep);
        for (Job j : rows) {
            j.nextPosition++;
        }
        step(logits, 0);
    }

    /** Samples the next token of rows {@code offset..} from their logits, ends finished rows. */
    private void step(float[][] logits, int offset) {
        long now = System.nanoTime();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < offset; i++) {
            keep.add(i);
        }
        for (int i = offset; i < rows.size(); i++) {
            Job j = rows.get(i);
            int token = j.sampler.next(logits[i - offset]);
            if (j.generated.isEmpty()) {
                j.firstTokenNanos = now;
            }
            j.generated.add(token);
            j.lastToken = token;
            stats.generatedToken();
            StopCheck.Outcome o = StopCheck.check(stopTokens, j.request.stop(), j.request.maxTokens(), j.generated,
                    tokenizer);
            if (o == null) {
                notify(j, j.stream.next(j.generatedIds()));
                keep.add(i);
            } else {
                ServeFinishReason reason = o.reason() == FinishReason.LENGTH
                        ? ServeFinishReason.LENGTH : ServeFinishReason.STOP;
                end(j, reason, o.text(), now);
            }
        }
        retain(keep);
    }

    private void retain(List<Integer> keep) {
        if (keep.size() == rows.size()) {
            return;
        }
        List<Job> kept = new ArrayList<>(keep.size());
        long[] idx = new long[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            kept.add(rows.get(keep.get(k)));
            idx[k] = keep.get(k);
        }
        rows.clear();
        rows.addAll(kept);
        cache.retainRows(idx);
    }

    // ------------------------------------------------------------------------------------------------ results

    private void releaseEntry(Job j) {
        if (j.entry >= 0) {
            freeEntries.add(j.entry);
            j.entry = -1;
        }
    }

    private void end(Job j, ServeFinishReason reason, String stopCutText, long now) {
        releaseEntry(j);
        int[] tokens = j.generatedIds();
        String text = null;
        if (tokenizer != null) {
            text = stopCutText != null ? stopCutText : tokenizer.decode(tokens);
            if (j.stream != null) {
                notify(j, j.stream.finish(text));
            }
        }
        stats.ended(reason);
        engine.release(j);
        Duration ttft = j.generated.isEmpty() ? null : Duration.ofNanos(j.firstTokenNanos - j.submittedNanos);
        j.future.complete(new ServeResult(text, tokens, j.promptIds.length, tokens.length, reason, ttft,
                Duration.ofNanos(now - j.submittedNanos), j.adapterKey()));
    }

    private void fail(Job j, Throwable cause) {
        LOG.log(Level.WARNING, "request " + j.id + " failed", cause);
        releaseEntry(j);
        engine.release(j);
        j.future.completeExceptionally(new ServingException("the engine failed to run the request", cause));
    }

    private void notify(Job j, String delta) {
        if (j.stream == null || tokenizer == null) {
            return;
        }
        try {
            j.listener.onToken(delta);
        } catch (RuntimeException e) {
            // a broken listener (client gone) cancels its own request only
            j.cancelled = true;
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    private void publish() {
        stats.publish(rows.size(), weights.phase(), weights.currentKey(), weights.switches(), weights.lastMillis());
    }

    /**
     * The compiled step's logits (ADR 16), or null when it is off, does not apply to the model's state, or failed
     * (then it stays off and the caller runs the eager forward, which rewrites what the failed step wrote).
     */
    private NDArray tryCompiled(NDArray ids, NDArray pos, NDArray newMask, KvCache into,
                                Supplier<CompiledStep.Lora> lora) {
        if (compiled == null || !compiled.applies()) {
            return null;
        }
        try {
            return compiled.forward(ids, pos, newMask, into, lora.get());
        } catch (RuntimeException e) {
            model.compiledStepFailed(e);
            compiled = null;
            return null;
        }
    }

    EngineStats stats(int queued, int loaded, long rejected, double cpuMillis) {
        return stats.snapshot(queued, loaded, rejected, cpuMillis);
    }

    private void shutdown() {
        long now = System.nanoTime();
        List<Job> queued;
        engine.lock.lock();
        try {
            queued = new ArrayList<>(engine.queue);
            engine.queue.clear();
        } finally {
            engine.lock.unlock();
        }
        for (Job j : rows) {
            end(j, ServeFinishReason.CANCELLED, null, now);
        }
        rows.clear();
        for (Job j : queued) {
            end(j, ServeFinishReason.CANCELLED, null, now);
        }
        Runnable task;
        while ((task = engine.tasks.poll()) != null) {
            // load/unload requested while closing: run them so their callers get an answer, not a hang
            try {
                task.run();
            } catch (RuntimeException ignored) {
                // reported to the caller through its future
            }
        }
        try {
            if (weights != null) {
                weights.close();
            }
        } finally {
            engine.adapters.values().forEach(LoadedAdapter::close);
            engine.adapters.clear();
            if (pool != null) {
                pool.close();
            }

            if (batchManager != null) {
                batchManager.close();
            }
            stats.publishStopped();
        }
    }
}
