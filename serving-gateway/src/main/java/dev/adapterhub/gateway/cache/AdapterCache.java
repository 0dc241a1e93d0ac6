package dev.adapterhub.gateway.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded cache of loaded adapters (count and bytes) with LRU eviction, pinning and reference counting. The key
 * is immutable content ({@code <base id>/<version digest>}), so an entry can never hold stale weights: a moved
 * alias resolves to another key.
 *
 * <p>Rules: an entry with requests in flight ({@link Lease}s open) or a pin is never evicted; loading happens
 * outside the lock and concurrent requests for the same key wait for one load. Unloading happens outside the lock
 * too: the engine unloads on its scheduler thread, which also closes leases (taking this lock) when generations
 * end, so waiting for it while holding the lock deadlocked the gateway under adapter churn. A key being unloaded
 * is marked, and a request for it waits until the unload is done before loading it again.
 */
public class AdapterCache {

    /** Loads one adapter into the engine; may take long (downloads). */
    @FunctionalInterface
    public interface Loader {
        void load() throws Exception;
    }

    /** Removes one adapter from the engine; returns false when the engine still uses it (kept then). */
    @FunctionalInterface
    public interface Unloader {
        boolean unload(String key);
    }

    /** Observer for metrics; every method is called outside hot loops and must be cheap. */
    public interface Listener {
        default void hit(String label) {
        }

        default void miss(String label) {
        }

        default void loaded(String label, Duration took) {
        }

        default void evicted(String label) {
        }
    }

    /** A held entry: the adapter stays loaded until closed. Close exactly once. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public String key() {
            return entry.key;
        }

        @Override
        public void close() {
            synchronized (AdapterCache.this) {
                if (!closed) {
                    closed = true;
                    entry.refCount--;
                    entry.lastUsed = clock.instant();
                }
            }
        }
    }

    private static final class Entry {
        final String key;
        final String label;
        final long size;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        int refCount;
        boolean pinned;
        boolean loaded;
        long hits;
        Instant loadedAt;
        Instant lastUsed;

        Entry(String key, String label, long size) {
            this.key = key;
            this.label = label;
            this.size = size;
        }
    }

    private final int maxEntries;
    private final long maxBytes;
    private final Unloader unloader;
    private final Listener listener;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Keys taken out of {@link #entries} whose engine unload has not finished yet. */
    private final Map<String, CompletableFuture<Void>> unloading = new HashMap<>();
    private long bytes;
    private long evictions;

    public AdapterCache(int maxEntries, long maxBytes, Unloader unloader, Listener listener, Clock clock) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("cache bounds must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.unloader = unloader;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Returns a lease on {@code key}, loading it with {@code loader} first when absent (evicting idle entries to
     * make room). Waits at most {@code wait} for a load another request started.
     *
     * @throws CacheFullException when no room can be made
     * @throws AdapterLoadException when loading fails (nothing stays cached)
     */
    public Lease acquire(String key, String label, long sizeBytes, Loader loader, Duration wait) {
        Entry entry;
        boolean mustLoad = false;
        List<Entry> victims = List.of();
        while (true) {
            CompletableFuture<Void> beingUnloaded;
            synchronized (this) {
                beingUnloaded = unloading.get(key);
                entry = entries.get(key);
                if (beingUnloaded == null) {
                    if (entry == null) {
                        victims = makeRoom(sizeBytes);
                        entry = new Entry(key, label, sizeBytes);
                        entries.put(key, entry);
                        bytes += sizeBytes;
                        mustLoad = true;
                    } else {
                        entry.hits++;
                    }
                    entry.refCount++;
                    entry.lastUsed = clock.instant();
                    break;
                }
            }
            awaitUnload(beingUnloaded, label, wait);
        }
        List<Entry> refused = unload(victims);
        if (!refused.isEmpty()) {
            // the engine still runs what was to make room: the new entry does not fit after all
            CacheFullException full = new CacheFullException("The adapter cache is full: the engine still uses "
                    + refused.stream().map(e -> e.label).toList());
            synchronized (this) {
                if (entries.get(key) == entry) {
                    entries.remove(key);
                    bytes -= entry.size;
                }
            }
            entry.ready.completeExceptionally(full);
            throw full;
        }
        Lease lease = new Lease(entry);
        if (mustLoad) {
            listener.miss(label);
            load(entry, loader);
        } else {
            listener.hit(label);
        }
        try {
            entry.ready.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return lease;
        } catch (ExecutionException e) {
            lease.close();
            Throwable cause = e.getCause();
            if (cause instanceof AdapterLoadException ale) {
                throw ale;
            }
            throw new AdapterLoadException("Loading " + label + " failed", cause);
        } catch (TimeoutException e) {
            lease.close();
            throw new AdapterLoadException("Timed out waiting for " + label + " to load", e);
        } catch (InterruptedException e) {
            lease.close();
            Thread.currentThread().interrupt();
            throw new AdapterLoadException("Interrupted while waiting for " + label + " to load", e);
        }
    }

    private void load(Entry entry, Loader loader) {
        long start = System.nanoTime();
        try {
            loader.load();
        } catch (Exception e) {
            synchronized (this) {
                if (entries.get(entry.key) == entry) {
                    entries.remove(entry.key);
                    bytes -= entry.size;
                }
            }
            entry.ready.completeExceptionally(e instanceof AdapterLoadException ? e
                    : new AdapterLoadException("Loading " + entry.label + " failed: " + e.getMessage(), e));
            return;
        }
        synchronized (this) {
            entry.loaded = true;
            entry.loadedAt = clock.instant();
        }
        listener.loaded(entry.label, Duration.ofNanos(System.nanoTime() - start));
        entry.ready.complete(null);
    }

    /**
     * Takes least recently used idle, unpinned, loaded entries out until {@code size} more fits, and marks them as
     * being unloaded; the caller unloads them with {@link #unload} once it has left the lock. Under the lock.
     */
    private List<Entry> makeRoom(long size) {
        if (size > maxBytes) {
            throw new CacheFullException("The adapter (" + size + " bytes) is larger than the whole cache ("
                    + maxBytes + " bytes)");
        }
        List<Entry> candidates = new ArrayList<>(entries.values().stream()
                .filter(e -> e.loaded && !e.pinned && e.refCount == 0)
                .sorted(Comparator.comparing((Entry e) -> e.lastUsed))
                .toList());
        List<Entry> victims = new ArrayList<>();
        int i = 0;
        while (entries.size() + 1 > maxEntries || bytes + size > maxBytes) {
            if (i >= candidates.size()) {
                throw new CacheFullException("The adapter cache is full: every loaded adapter is pinned or in use"
                        + " (" + entries.size() + "/" + maxEntries + " adapters, " + bytes + "/" + maxBytes
                        + " bytes)");
            }
            Entry victim = candidates.get(i++);
            takeOut(victim);
            victims.add(victim);
        }
        return victims;
    }

    /** Removes an entry from the cache and marks its key as being unloaded. Under the lock. */
    private void takeOut(Entry entry) {
        entries.remove(entry.key);
        bytes -= entry.size;
        unloading.put(entry.key, new CompletableFuture<>());
    }

    /**
     * Unloads entries {@link #takeOut taken out}, outside the lock. One the engine refuses (still in use) goes back
     * into the cache, loaded; it may then hold one entry over its bound until the next eviction.
     */
    private List<Entry> unload(List<Entry> victims) {
        List<Entry> refused = new ArrayList<>();
        for (Entry victim : victims) {
            boolean unloaded;
            try {
                unloaded = unloader.unload(victim.key);
            } catch (RuntimeException e) {
                unloaded = false;
            }
            CompletableFuture<Void> done;
            synchronized (this) {
                done = unloading.remove(victim.key);
                if (unloaded) {
                    evictions++;
                } else {
                    entries.put(victim.key, victim);
                    bytes += victim.size;
                    refused.add(victim);
                }
            }
            if (unloaded) {
                listener.evicted(victim.label);
            }
            done.complete(null);
        }
        return refused;
    }

    private static void awaitUnload(CompletableFuture<Void> beingUnloaded, String label, Duration wait) {
        try {
            beingUnloaded.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AdapterLoadException("Unloading an earlier copy of " + label + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AdapterLoadException("Timed out waiting for an earlier copy of " + label + " to unload", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterLoadException("Interrupted while waiting for " + label + " to unload", e);
        }
    }

    /** Pins a loaded entry so that it is never evicted; false when the key is not loaded. */
    public synchronized boolean pin(String key, boolean pinned) {
        Entry e = entries.get(key);
        if (e == null || !e.loaded) {
            return false;
        }
        e.pinned = pinned;
        return true;
    }

    /** Result of an explicit eviction. */
    public enum EvictResult { EVICTED, NOT_LOADED, IN_USE }

    /** Evicts one entry now (pinned or not) unless requests hold it. */
    public EvictResult evict(String key) {
        Entry e;
        synchronized (this) {
            e = entries.get(key);
            if (e == null || !e.loaded) {
                return EvictResult.NOT_LOADED;
            }
            if (e.refCount > 0) {
                return EvictResult.IN_USE;
            }
            takeOut(e);
        }
        return unload(List.of(e)).isEmpty() ? EvictResult.EVICTED : EvictResult.IN_USE;
    }

    public synchronized boolean contains(String key) {
        Entry e = entries.get(key);
        return e != null && e.loaded;
    }

    public synchronized List<CacheEntryView> snapshot() {
        return entries.values().stream()
                .map(e -> new CacheEntryView(e.key, e.label, e.size, e.loaded ? "READY" : "LOADING", e.pinned,
                        e.refCount, e.hits, e.loadedAt, e.lastUsed))
                .toList();
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long evictions() {
        return evictions;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Removes every entry with the given key prefix that is idle (used when a base model is closed). */
    public synchronized List<String> dropIdle(String keyPrefix) {
        List<String> dropped = new ArrayList<>();
        entries.values().removeIf(e -> {
            if (e.key.startsWith(keyPrefix) && e.refCount == 0 && e.loaded) {
                bytes -= e.size;
                dropped.add(e.key);
                return true;
            }
            return false;
        });
        return dropped;
    }

    /** True when some entry with the prefix is held by a request or still loading. */
    public synchronized boolean busy(String keyPrefix) {
        return entries.values().stream().anyMatch(e -> e.key.startsWith(keyPrefix) && (e.refCount > 0 || !e.loaded));
    }
}
