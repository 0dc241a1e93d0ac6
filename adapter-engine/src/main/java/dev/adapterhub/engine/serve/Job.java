package dev.adapterhub.engine.serve;

import dev.adapterhub.engine.generate.Sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One request inside the engine: immutable input plus state owned by the scheduler thread. */
final class Job {

    final long id;
    final ServingEngine engine;
    final ServeRequest request;
    final int[] promptIds;
    final TokenListener listener;
    final long submittedNanos;
    final long deadlineNanos;
    final CompletableFuture<ServeResult> future = new CompletableFuture<>();
    volatile boolean cancelled;

    // scheduler thread only
    LoadedAdapter adapter;
    Sampler sampler;
    TextStream stream;
    final List<Integer> generated = new ArrayList<>();
    long firstTokenNanos;
    int lastToken;
    long nextPosition;
    /** Fixed row-buffer entry while running (see LoraPool#forDecode), -1 otherwise. */
    int entry = -1;

    Job(long id, ServingEngine engine, ServeRequest request, int[] promptIds, TokenListener listener,
        long submittedNanos, long deadlineNanos) {
        this.id = id;
        this.engine = engine;
        this.request = request;
        this.promptIds = promptIds;
        this.listener = listener == null ? TokenListener.NONE : listener;
        this.submittedNanos = submittedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    String adapterKey() {
        return request.adapterKey();
    }

    int[] generatedIds() {
        return generated.stream().mapToInt(Integer::intValue).toArray();
    }
}
