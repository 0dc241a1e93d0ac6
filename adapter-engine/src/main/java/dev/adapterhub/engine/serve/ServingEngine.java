package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serves many adapters on one base model with continuous batching (see adapter-engine/DESIGN.md, Serving, for
 * the policy).
 * One scheduler thread owns the model: every forward, LoRA merge and SHiRA fusion runs on it, at step boundaries.
 * Callers submit requests from any thread; adapter loads and unloads are handed to the scheduler and block until
 * done. {@link #close()} does not close the model or the tokenizer.
 */
public final class ServingEngine implements AutoCloseable {

    final LlamaModel model;
    final TextTokenizer tokenizer;
    final ServingSettings settings;

    final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeup = lock.newCondition();
    /** Guarded by {@link #lock}. */
    final ArrayDeque<Job> queue = new ArrayDeque<>();
    /** Queued + running requests per adapter key; guarded by {@link #lock}. */
    final Map<String, Integer> inUse = new HashMap<>();
    /** Written by the scheduler thread under {@link #lock}; read anywhere. */
    final Map<String, LoadedAdapter> adapters = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final AtomicLong rejected = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    volatile boolean closed;
    private volatile boolean wakeRequested;

    private final Scheduler scheduler;
    private final Thread thread;

    private ServingEngine(LlamaModel model, TextTokenizer tokenizer, ServingSettings settings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.scheduler = new Scheduler(this);
        this.thread = new Thread(scheduler, "serving-scheduler");
        this.thread.setDaemon(true);
    }

    /** Starts the scheduler thread. The model must not be used by anyone else while the engine runs. */
    public static ServingEngine start(LlamaModel model, TextTokenizer tokenizer, ServingSettings settings) {
        ServingEngine engine = new ServingEngine(model, tokenizer, settings);
        engine.thread.start();
        return engine;
    }

    // ------------------------------------------------------------------------------------------------ adapters

    /** {@link #loadAdapter(String, Path, String)} without a base model expectation. */
    public AdapterInfo loadAdapter(String key, Path peftDir) {
        return loadAdapter(key, peftDir, null);
    }

    /**
     * Checks and loads a PEFT LoRA or SHiRA directory under {@code key}. Blocks until it can be served.
     *
     * @param expectedBaseModel the base model the caller knows the adapter belongs to (compared with
     *                          {@link ServingSettings#baseModelId()}), or null
     * @throws IncompatibleAdapterException listing every problem; nothing is loaded
     * @throws AdapterAlreadyLoadedException when {@code key} is loaded
     */
    public AdapterInfo loadAdapter(String key, Path peftDir, String expectedBaseModel) {
        requireOpen();
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("adapter key must not be empty");
        }
        if (adapters.containsKey(key)) {
            throw new AdapterAlreadyLoadedException(key);
        }
        long t0 = System.nanoTime();
        AdapterFiles.HostAdapter host = AdapterFiles.read(key, peftDir, model, expectedBaseModel,
                settings.baseModelId());
        return onScheduler(() -> scheduler.install(host, t0));
    }

    /**
     * Unloads an adapter (restoring the weights first if it is fused or merged).
     *
     * @throws AdapterInUseException while requests for it are queued or running
     * @throws AdapterNotLoadedException when unknown
     */
    public void unloadAdapter(String key) {
        requireOpen();
        onScheduler(() -> {
            scheduler.uninstall(key);
            return null;
        });
    }

    public boolean isLoaded(String key) {
        return adapters.containsKey(key);
    }

    /** Keys of the loaded adapters (a sorted snapshot). */
    public Set<String> loadedAdapters() {
        return Set.copyOf(new TreeSet<>(adapters.keySet()));
    }

    public Optional<AdapterInfo> adapterInfo(String key) {
        LoadedAdapter a = adapters.get(key);
        return a == null ? Optional.empty() : Optional.of(a.info);
    }

    // ------------------------------------------------------------------------------------------------ requests

    /**
     * Queues a request. The listener (may be null) streams text on the scheduler thread.
     *
     * @throws QueueFullException        when {@link ServingSettings#maxQueuedRequests()} requests already wait
     * @throws AdapterNotLoadedException when the request names an adapter that is not loaded
     * @throws InvalidRequestException   for an unusable request (nothing is queued)
     */
    public RequestHandle submit(ServeRequest request, TokenListener listener) {
        requireOpen();
        int[] prompt = promptIds(request);
        long now = System.nanoTime();
        Duration timeout = request.timeout() == null ? settings.defaultTimeout() : request.timeout();
        long deadline = now + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        Job job = new Job(ids.incrementAndGet(), this, request, prompt, listener, now, deadline);
        lock.lock();
        try {
            requireOpen();
            String key = request.adapterKey();
            if (key != null && !adapters.containsKey(key)) {
                throw new AdapterNotLoadedException(key);
            }
            if (queue.size() >= settings.maxQueuedRequests()) {
                rejected.incrementAndGet();
                throw new QueueFullException(settings.maxQueuedRequests(), settings.retryAfter());
            }
            queue.add(job);
            if (key != null) {
                inUse.merge(key, 1, Integer::sum);
            }
            wakeRequested = true;
            wakeup.signalAll();
        } finally {
            lock.unlock();
        }
        return new RequestHandle(job);
    }

    private int[] promptIds(ServeRequest r) {
        int[] ids;
        if (r.prompt() != null) {
            if (tokenizer == null) {
                throw new InvalidRequestException("this engine has no tokenizer: send token ids");
            }
            ids = tokenizer.encode(r.prompt(), true);
        } else {
            ids = r.promptIds();
        }
        if (ids.length == 0) {
            throw new InvalidRequestException("the prompt is empty");
        }
        if (!r.stop().isEmpty() && tokenizer == null) {
            throw new InvalidRequestException("stop strings need a tokenizer");
        }
        int vocab = model.dims().vocabSize();
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new InvalidRequestException("token id " + id + " is outside the vocabulary (" + vocab + ")");
            }
        }
        if (r.maxTokens() > settings.maxNewTokens()) {
            throw new InvalidRequestException("maxTokens " + r.maxTokens() + " exceeds the limit "
                    + settings.maxNewTokens());
        }
        int maxPositions = model.dims().maxPositions();
        if (maxPositions > 0 && (long) ids.length + r.maxTokens() > maxPositions) {
            throw new InvalidRequestException("prompt (" + ids.length + " tokens) + maxTokens (" + r.maxTokens()
                    + ") exceeds the model's context of " + maxPositions);
        }
        return ids;
    }

    /** Counters and state right now. */
    public EngineStats stats() {
        int queued;
        lock.lock();
        try {
            queued = queue.size();
        } finally {
            lock.unlock();
        }
        return scheduler.stats(queued, adapters.size(), rejected.get(), schedulerCpuMillis());
    }

    /**
     * Counts the tensors the model's manager holds, on the scheduler thread between steps (a step may close
     * arrays while another thread walks them).
     */
    public TensorMemory tensorMemory() {
        requireOpen();
        return onScheduler(() -> {
            long bytes = 0;
            List<NDArray> arrays = model.manager().getManagedArrays();
            for (NDArray a : arrays) {
                bytes += a.size() * a.getDataType().getNumOfBytes();
            }
            return new TensorMemory(arrays.size(), bytes);
        });
    }

    private double schedulerCpuMillis() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return -1;
        }
        long nanos = mx.getThreadCpuTime(thread.getId());
        return nanos < 0 ? -1 : nanos / 1e6;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Stops admitting, completes every queued and running request with CANCELLED, restores the base weights and
     * frees the adapters. The model and tokenizer stay open (the caller owns them).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            wakeup.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Scheduler: sleeps until woken or {@code nanos} pass. */
    void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (!wakeRequested && queue.isEmpty() && tasks.isEmpty() && !closed) {
                wakeup.awaitNanos(nanos);
            }
            wakeRequested = false;
        } finally {
            lock.unlock();
        }
    }

    /** Called by the scheduler when a job ends. */
    void release(Job job) {
        String key = job.adapterKey();
        if (key == null) {
            return;
        }
        lock.lock();
        try {
            inUse.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        } finally {
            lock.unlock();
        }
    }

    private <T> T onScheduler(Supplier<T> work) {
        if (Thread.currentThread() == thread) {
            return work.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        wake();
        if (!thread.isAlive()) {
            // the scheduler is gone: run nothing against the model
            tasks.clear();
            throw new EngineClosedException();
        }
        while (true) {
            try {
                return f.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!thread.isAlive() && !f.isDone()) {
                    throw new EngineClosedException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServingException("interrupted while waiting for the scheduler", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new ServingException("scheduler task failed", e.getCause());
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new EngineClosedException();
        }
    }
}
