package dev.adapterhub.engine.tools.bench;

import dev.adapterhub.engine.serve.ServeRequest;
import dev.adapterhub.engine.serve.ServeResult;
import dev.adapterhub.engine.serve.ServingEngine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency as a user of the serving engine sees it: {@code c} clients each send a request, wait for its last token,
 * and send the next (a closed loop, like vLLM's and LoRAX's benchmark clients at a fixed concurrency). Per request:
 * time to first token (submit to the first generated token, queueing and prefill included) and time per output
 * token (first token to completion over the tokens between them), both as the engine stamps them. Reported as p50 / p99 per concurrency level, beside the
 * level's generated tokens/s and requests/s.
 */
public final class LatencyBenchmark {

    /**
     * @param concurrency clients
     * @param requests    requests completed at this level
     * @param ttftP50Ms, ttftP99Ms time to first token
     * @param tpotP50Ms, tpotP99Ms time per output token after the first
     * @param tokensPerSecond generated tokens / wall seconds of the level
     */
    public record Level(int concurrency, int requests, double ttftP50Ms, double ttftP99Ms, double tpotP50Ms,
                        double tpotP99Ms, double tokensPerSecond, double requestsPerSecond) {
    }

    /** One request's timings, in nanoseconds. */
    private record Timing(long ttft, long tpot, int tokens) {
    }

    private LatencyBenchmark() {
    }

    /**
     * Runs each concurrency level in turn on a started engine (adapter: a loaded adapter's key, or null for the
     * base model). Each level first runs {@code concurrency} requests unmeasured (allocator, kernels, JIT).
     */
    public static List<Level> run(ServingEngine engine, List<Integer> concurrencies, int requestsPerLevel,
                                  int promptTokens, int maxTokens, int vocab, String adapter, long seed,
                                  PrintStream log) {
        List<Level> levels = new ArrayList<>();
        for (int c : concurrencies) {
            if (c < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, got " + c);
            }
            int requests = Math.max(requestsPerLevel, c);
            level(engine, c, c, promptTokens, maxTokens, vocab, adapter, seed - 1);
            Level l = level(engine, c, requests, promptTokens, maxTokens, vocab, adapter, seed);
            log.printf(Locale.ROOT, "latency at %d concurrent: TTFT p50 %.1f ms p99 %.1f ms; time per token p50 %.2f ms "
                            + "p99 %.2f ms; %.1f tokens/s, %.2f requests/s (%d requests)%n", c, l.ttftP50Ms(),
                    l.ttftP99Ms(), l.tpotP50Ms(), l.tpotP99Ms(), l.tokensPerSecond(), l.requestsPerSecond(),
                    l.requests());
            levels.add(l);
        }
        return levels;
    }

    private static Level level(ServingEngine engine, int clients, int requests, int promptTokens, int maxTokens,
                               int vocab, String adapter, long seed) {
        AtomicInteger next = new AtomicInteger();
        List<Timing> timings = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                loops.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < requests) {
                        timings.add(one(engine, prompt(new Random(seed * 1_000_003L + n), promptTokens, vocab),
                                maxTokens, adapter));
                    }
                    return null;
                }));
            }
            for (Future<?> f : loops) {
                f.get(1, TimeUnit.HOURS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("latency benchmark interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("latency benchmark request failed", e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long tokens = timings.stream().mapToLong(Timing::tokens).sum();
        double[] ttft = timings.stream().mapToDouble(t -> t.ttft() / 1e6).sorted().toArray();
        double[] tpot = timings.stream().filter(t -> t.tokens() > 1).mapToDouble(t -> t.tpot() / 1e6).sorted()
                .toArray();
        return new Level(clients, timings.size(), percentile(ttft, 0.5), percentile(ttft, 0.99),
                percentile(tpot, 0.5), percentile(tpot, 0.99), tokens / seconds, timings.size() / seconds);
    }

    private static Timing one(ServingEngine engine, int[] prompt, int maxTokens, String adapter) throws Exception {
        // The engine stamps the first token and the completion on its scheduler thread: no client-side delay.
        ServeResult r = engine.submit(ServeRequest.tokens(prompt).withMaxTokens(maxTokens).withAdapter(adapter), null)
                .result().get(1, TimeUnit.HOURS);
        int tokens = r.completionTokens();
        long ttft = r.timeToFirstToken() == null ? 0 : r.timeToFirstToken().toNanos();
        long tpot = tokens > 1 ? (r.totalTime().toNanos() - ttft) / (tokens - 1) : 0;
        return new Timing(ttft, tpot, tokens);
    }

    private static int[] prompt(Random rnd, int length, int vocab) {
        int[] ids = new int[length];
        for (int t = 0; t < length; t++) {
            ids[t] = 3 + rnd.nextInt(vocab - 3);
        }
        return ids;
    }

    /** Nearest-rank percentile of sorted values (NaN when empty). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** Markdown rows for a report. */
    static String markdown(List<Level> levels) {
        StringBuilder b = new StringBuilder("| concurrent requests | requests | TTFT p50 ms | TTFT p99 ms "
                + "| time per token p50 ms | p99 ms | tokens/s | requests/s |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Level l : levels) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.2f | %.2f | %.1f | %.2f |%n",
                    l.concurrency(), l.requests(), l.ttftP50Ms(), l.ttftP99Ms(), l.tpotP50Ms(), l.tpotP99Ms(),
                    l.tokensPerSecond(), l.requestsPerSecond()));
        }
        return b.toString();
    }
}
