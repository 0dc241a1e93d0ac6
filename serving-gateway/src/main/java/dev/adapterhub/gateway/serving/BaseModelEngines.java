package dev.adapterhub.gateway.serving;

import dev.adapterhub.gateway.cache.ArtifactStore;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.inference.InferenceBackend;
import dev.adapterhub.gateway.inference.ModelEngine;
import dev.adapterhub.gateway.metrics.GatewayMetrics;
import dev.adapterhub.registry.client.model.BaseModel;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The loaded base models, one {@link ModelEngine} each, at most {@code max-loaded-base-models}. A base model is
 * downloaded and loaded on its first request; to make room the least recently used base model without requests
 * in flight is closed. Loading is serialized (one base model at a time: it is the memory-heavy step).
 */
@ApplicationScoped
public class BaseModelEngines {

    private static final Logger LOG = Logger.getLogger(BaseModelEngines.class);

    /** A loaded base model. {@code inFlight} counts requests and adapter loads using it. */
    public static final class Loaded {
        final BaseModel base;
        final ModelEngine engine;
        final Path dir;
        int inFlight;
        Instant lastUsed;

        Loaded(BaseModel base, ModelEngine engine, Path dir) {
            this.base = base;
            this.engine = engine;
            this.dir = dir;
        }

        public BaseModel base() {
            return base;
        }

        public ModelEngine engine() {
            return engine;
        }

        public Path dir() {
            return dir;
        }
    }

    private final InferenceBackend backend;
    private final ArtifactStore artifacts;
    private final GatewayMetrics metrics;
    private final int maxLoaded;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Object loadLock = new Object();
    private volatile Predicate<String> idleCheck = id -> true;

    public BaseModelEngines(InferenceBackend backend, ArtifactStore artifacts, GatewayMetrics metrics,
                            GatewayConfig config) {
        this.backend = backend;
        this.artifacts = artifacts;
        this.metrics = metrics;
        this.maxLoaded = config.maxLoadedBaseModels();
    }

    /** Extra veto for closing a base model (the adapter cache: nothing of it may be loading or held). */
    public void setIdleCheck(Predicate<String> idleCheck) {
        this.idleCheck = idleCheck;
    }

    /** The engine of {@code base}, loading it if needed; the caller must {@link #release} it. */
    public Loaded acquire(BaseModel base) {
        synchronized (this) {
            Loaded l = loaded.get(base.id());
            if (l != null) {
                l.inFlight++;
                l.lastUsed = Instant.now();
                return l;
            }
        }
        synchronized (loadLock) {
            synchronized (this) {
                Loaded l = loaded.get(base.id());
                if (l != null) {
                    l.inFlight++;
                    l.lastUsed = Instant.now();
                    return l;
                }
            }
            List<Loaded> closing = makeRoom();
            closing.forEach(this::close);
            long start = System.nanoTime();
            Path dir = artifacts.baseModel(base);
            ModelEngine engine;
            try {
                engine = backend.open(base.id(), dir);
            } catch (Exception e) {
                LOG.errorf(e, "Loading base model %s (%s) failed", base.ref(), base.id());
                throw new ApiException(ApiError.BASE_MODEL_NOT_SERVED, "The base model " + base.ref()
                        + " cannot be loaded by this gateway (see its log)", "model");
            }
            metrics.baseModelLoaded(Duration.ofNanos(System.nanoTime() - start));
            LOG.infof("Loaded base model %s (%s) in %d ms", base.ref(), base.id(),
                    (System.nanoTime() - start) / 1_000_000);
            synchronized (this) {
                Loaded l = new Loaded(base, engine, dir);
                l.inFlight = 1;
                l.lastUsed = Instant.now();
                loaded.put(base.id(), l);
                return l;
            }
        }
    }

    public synchronized void release(Loaded l) {
        l.inFlight--;
        l.lastUsed = Instant.now();
    }

    /** The loaded engine of a base model id, if loaded (no reference taken). */
    public synchronized Optional<Loaded> peek(String baseModelId) {
        return Optional.ofNullable(loaded.get(baseModelId));
    }

    public synchronized List<Loaded> all() {
        return new ArrayList<>(loaded.values());
    }

    private synchronized List<Loaded> makeRoom() {
        List<Loaded> victims = new ArrayList<>();
        List<Loaded> idle = loaded.values().stream()
                .filter(l -> l.inFlight == 0 && idleCheck.test(l.base.id()))
                .sorted(Comparator.comparing((Loaded l) -> l.lastUsed))
                .toList();
        int i = 0;
        while (loaded.size() - victims.size() >= maxLoaded) {
            if (i >= idle.size()) {
                throw new ApiException(ApiError.OVERLOADED, "Every loaded base model is serving requests; "
                        + "retry later");
            }
            victims.add(idle.get(i++));
        }
        victims.forEach(v -> loaded.remove(v.base.id()));
        return victims;
    }

    private void close(Loaded l) {
        LOG.infof("Closing base model %s to make room", l.base.ref());
        onClose.accept(l.base.id());
        l.engine.close();
    }

    private volatile java.util.function.Consumer<String> onClose = id -> { };

    /** Called with the base model id before its engine closes (the adapter cache drops its entries). */
    public void setOnClose(java.util.function.Consumer<String> onClose) {
        this.onClose = onClose;
    }

    @PreDestroy
    synchronized void closeAll() {
        loaded.values().forEach(l -> {
            try {
                l.engine.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing an engine failed", e);
            }
        });
        loaded.clear();
    }
}
