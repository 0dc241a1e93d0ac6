package dev.adapterhub.gateway.cache;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure cache logic: LRU order, bounds, pinning, in-flight protection, single load, failed loads. */
class AdapterCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A clock the test advances, so LRU order does not depend on timing. */
    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plusMillis(1);
            return now;
        }
    }

    private final List<String> unloaded = new ArrayList<>();
    private final List<String> loaded = new ArrayList<>();

    private AdapterCache cache(int maxEntries, long maxBytes) {
        return new AdapterCache(maxEntries, maxBytes, key -> unloaded.add(key), new AdapterCache.Listener() { },
                new StepClock());
    }

    private AdapterCache.Lease get(AdapterCache c, String key, long size) {
        return c.acquire(key, key + "@1", size, () -> loaded.add(key), WAIT);
    }

    @Test
    void evictsTheLeastRecentlyUsedIdleEntryWhenTheCountIsReached() {
        AdapterCache c = cache(2, 1000);
        get(c, "a", 10).close();
        get(c, "b", 10).close();
        get(c, "a", 10).close();          // a is now more recent than b
        get(c, "c", 10).close();
        assertEquals(List.of("b"), unloaded);
        assertTrue(c.contains("a"));
        assertTrue(c.contains("c"));
        assertFalse(c.contains("b"));
        assertEquals(List.of("a", "b", "c"), loaded);
        assertEquals(1, c.evictions());
    }

    @Test
    void evictsAsManyAsTheByteBoundNeeds() {
        AdapterCache c = cache(10, 100);
        get(c, "a", 40).close();
        get(c, "b", 40).close();
        get(c, "c", 90).close();
        assertEquals(List.of("a", "b"), unloaded);
        assertEquals(90, c.bytes());
        assertThrows(CacheFullException.class, () -> get(c, "huge", 101));
    }

    @Test
    void neverEvictsAnEntryWithRequestsInFlightOrAPin() {
        AdapterCache c = cache(2, 1000);
        AdapterCache.Lease held = get(c, "a", 10);       // in flight
        get(c, "b", 10).close();
        assertTrue(c.pin("b", true));
        CacheFullException full = assertThrows(CacheFullException.class, () -> get(c, "c", 10));
        assertTrue(full.getMessage().contains("pinned or in use"));
        assertEquals(List.of(), unloaded);
        assertEquals(AdapterCache.EvictResult.IN_USE, c.evict("a"));
        held.close();
        get(c, "c", 10).close();                         // a is idle now, b still pinned
        assertEquals(List.of("a"), unloaded);
        assertEquals(AdapterCache.EvictResult.EVICTED, c.evict("b"));   // explicit evict ignores the pin
        assertEquals(AdapterCache.EvictResult.NOT_LOADED, c.evict("b"));
    }

    @Test
    void anEntryTheEngineStillUsesIsSkipped() {
        List<String> tried = new ArrayList<>();
        AdapterCache c = new AdapterCache(1, 1000, key -> {
            tried.add(key);
            return false;
        }, new AdapterCache.Listener() { }, new StepClock());
        get(c, "a", 10).close();
        assertThrows(CacheFullException.class, () -> get(c, "b", 10));
        assertEquals(List.of("a"), tried);
        assertTrue(c.contains("a"));
        assertFalse(c.contains("b"));
        assertEquals(10, c.bytes());
    }

    /**
     * The engine unloads on its scheduler thread, which also closes leases when generations end. An eviction that
     * waited for the unload while holding the cache's lock deadlocked with it (seen under adapter churn in the
     * fault suite: the gateway answered 503 overloaded for good).
     */
    @Test
    void anUnloadThatWaitsForALeaseToCloseDoesNotDeadlock() throws Exception {
        ExecutorService scheduler = Executors.newSingleThreadExecutor();
        AdapterCache.Lease[] held = new AdapterCache.Lease[1];
        try {
            AdapterCache c = new AdapterCache(2, 1000, key -> {
                Future<?> done = scheduler.submit(() -> held[0].close());
                try {
                    done.get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the scheduler could not close its lease", e);
                }
                return true;
            }, new AdapterCache.Listener() { }, new StepClock());
            get(c, "idle", 10).close();
            held[0] = get(c, "busy", 10);
            AdapterCache.Lease third = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> get(c, "new", 10));
            third.close();
            assertFalse(c.contains("idle"));
            assertTrue(c.contains("new") && c.contains("busy"));
            assertEquals(1, c.evictions());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aKeyBeingUnloadedIsLoadedAgainOnlyAfterTheUnload() throws Exception {
        CountDownLatch unloadStarted = new CountDownLatch(1);
        CountDownLatch finishUnload = new CountDownLatch(1);
        List<String> engine = java.util.Collections.synchronizedList(new ArrayList<>());
        // room for 25 bytes: b (20) needs a (10) out; a again, at 5 bytes, then fits beside b
        AdapterCache c = new AdapterCache(2, 25, key -> {
            unloadStarted.countDown();
            try {
                finishUnload.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engine.add("unload " + key);
            return true;
        }, new AdapterCache.Listener() { }, new StepClock());
        c.acquire("a", "a@1", 10, () -> engine.add("load a"), WAIT).close();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> evicting = pool.submit(() -> c.acquire("b", "b@1", 20, () -> engine.add("load b"), WAIT)
                    .close());
            assertTrue(unloadStarted.await(5, TimeUnit.SECONDS));
            Future<?> again = pool.submit(() -> c.acquire("a", "a@1", 5, () -> engine.add("load a"), WAIT)
                    .close());
            Thread.sleep(200);
            assertFalse(again.isDone(), "a request for a key being unloaded waits for the unload");
            finishUnload.countDown();
            evicting.get(5, TimeUnit.SECONDS);
            again.get(5, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("load a", "unload a"), engine.subList(0, 2));
        assertEquals(4, engine.size(), engine.toString());
        assertTrue(engine.subList(2, 4).containsAll(List.of("load a", "load b")), engine.toString());
        assertTrue(c.contains("a") && c.contains("b"));
    }

    @Test
    void concurrentRequestsForOneKeyShareOneLoad() throws Exception {
        AdapterCache c = cache(4, 1000);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AdapterCache.Lease>> leases = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                leases.add(pool.submit(() -> c.acquire("a", "a@1", 10, () -> {
                    loads.incrementAndGet();
                    release.await();
                }, WAIT)));
            }
            Thread.sleep(100);     // lets every task reach the cache; the assertion does not depend on it
            release.countDown();
            for (Future<AdapterCache.Lease> f : leases) {
                f.get(5, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get());
        assertEquals(1, c.size());
    }

    @Test
    void aFailedLoadLeavesNothingAndIsReported() {
        AdapterCache c = cache(2, 1000);
        AdapterLoadException e = assertThrows(AdapterLoadException.class, () -> c.acquire("bad", "bad@1", 10, () -> {
            throw new AdapterIncompatibleException("shape mismatch");
        }, WAIT));
        assertTrue(e instanceof AdapterIncompatibleException);
        assertEquals(0, c.size());
        assertEquals(0, c.bytes());
        get(c, "bad", 10).close();          // a later attempt loads again
        assertTrue(c.contains("bad"));
    }

    @Test
    void snapshotShowsPinsAndRequestsInFlight() {
        AdapterCache c = cache(3, 1000);
        AdapterCache.Lease lease = get(c, "a", 10);
        get(c, "b", 20).close();
        c.pin("b", true);
        var views = c.snapshot();
        assertEquals(2, views.size());
        assertEquals(1, views.get(0).inFlight());
        assertTrue(views.get(1).pinned());
        assertEquals("READY", views.get(1).state());
        lease.close();
        lease.close();                       // idempotent
        assertEquals(0, c.snapshot().get(0).inFlight());
    }
}
