package dev.adapterhub.gateway.resolve;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.BaseModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code GET /v1/models} lists: every base model and the adapters on each, read from the registry at most
 * once per {@code resolve-ttl} and dropped by every registry event, the same freshness rule resolutions follow. A
 * listing used to cost one registry call per base model and page on every request; now concurrent listings share
 * one snapshot and a burst of them costs the registry one read.
 */
@ApplicationScoped
public class ModelCatalog {

    /** The registry's base models in its order, and the adapters on each (by base model id). */
    public record Snapshot(List<BaseModel> baseModels, Map<String, List<Adapter>> adaptersByBase) {
    }

    private record Held(Snapshot snapshot, Instant expires, long generation) {
    }

    private final RegistryClient registry;
    private final Duration ttl;
    private final Clock clock;
    /** Bumped by every invalidation, so a read that raced one is not kept (it may predate the change). */
    private final AtomicLong invalidations = new AtomicLong();
    private volatile Held held;

    @Inject
    public ModelCatalog(RegistryClient registry, GatewayConfig config) {
        this(registry, config.resolveTtl(), Clock.systemUTC());
    }

    public ModelCatalog(RegistryClient registry, Duration ttl, Clock clock) {
        this.registry = registry;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Snapshot snapshot() {
        Held current = held;
        if (fresh(current)) {
            return current.snapshot();
        }
        synchronized (this) {
            current = held;
            if (fresh(current)) {
                return current.snapshot();
            }
            long generation = invalidations.get();
            Snapshot read = read();
            if (!ttl.isZero()) {
                held = new Held(read, clock.instant().plus(ttl), generation);
            }
            return read;
        }
    }

    /** Forgets the snapshot: the next listing reads the registry again. */
    public void invalidate() {
        invalidations.incrementAndGet();
        held = null;
    }

    private boolean fresh(Held current) {
        return current != null && current.generation() == invalidations.get()
                && clock.instant().isBefore(current.expires());
    }

    private Snapshot read() {
        List<BaseModel> bases = registry.listAllBaseModels();
        Map<String, List<Adapter>> adapters = new LinkedHashMap<>();
        for (BaseModel base : bases) {
            if ("ACTIVE".equals(base.status())) {
                adapters.put(base.id(), List.copyOf(registry.listAllAdapters(base.id())));
            }
        }
        return new Snapshot(List.copyOf(bases), Map.copyOf(adapters));
    }
}
