package dev.adapterhub.gateway.serving;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.gateway.cache.AdapterCache;
import dev.adapterhub.gateway.cache.AdapterIncompatibleException;
import dev.adapterhub.gateway.cache.ArtifactStore;
import dev.adapterhub.gateway.cache.CacheEntryView;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.metrics.GatewayMetrics;
import dev.adapterhub.gateway.resolve.ServedModel;
import dev.adapterhub.registry.client.model.AdapterVersion;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts adapter versions into the engines through the bounded {@link AdapterCache}: download, compatibility check,
 * engine load on a miss; engine unload and local file removal on eviction.
 *
 * <p>Compatibility is checked before an adapter is ever used: the version must have been validated against the
 * very base model that will run it (registry lineage id), its files must match the registry digest, and the
 * formats module checks names, target modules and shapes against the base checkpoint's own headers; the engine
 * checks again on attach. Any failure is {@link AdapterIncompatibleException} (422), never the base model's output.
 */
@ApplicationScoped
public class AdapterManager {

    private static final Logger LOG = Logger.getLogger(AdapterManager.class);

    private final BaseModelEngines engines;
    private final ArtifactStore artifacts;
    private final AdapterCache cache;
    private final Duration loadWait;
    private final Map<String, LinearModules> baseModules = new ConcurrentHashMap<>();

    public AdapterManager(BaseModelEngines engines, ArtifactStore artifacts, GatewayMetrics metrics,
                          GatewayConfig config) {
        this.engines = engines;
        this.artifacts = artifacts;
        this.loadWait = config.requestTimeout();
        this.cache = new AdapterCache(config.cache().maxAdapters(), config.cache().maxBytes(), this::unload,
                new AdapterCache.Listener() {
                    @Override
                    public void hit(String label) {
                        metrics.cacheHit(nameOf(label));
                    }

                    @Override
                    public void miss(String label) {
                        metrics.cacheMiss(nameOf(label));
                    }

                    @Override
                    public void loaded(String label, Duration took) {
                        metrics.adapterLoaded(nameOf(label), took);
                    }

                    @Override
                    public void evicted(String label) {
                        metrics.cacheEviction(nameOf(label));
                        LOG.infof("Evicted adapter %s", label);
                    }
                }, Clock.systemUTC());
        engines.setIdleCheck(baseId -> !cache.busy(baseId + "/"));
        engines.setOnClose(baseId -> {
            cache.dropIdle(baseId + "/");
            baseModules.remove(baseId);
        });
        metrics.gauge("adapterhub.gateway.adapter.cache.entries", "Adapters loaded (or loading)", cache::size);
        metrics.gauge("adapterhub.gateway.adapter.cache.bytes", "Bytes of the loaded adapters' files", cache::bytes);
        metrics.gauge("adapterhub.gateway.adapter.cache.capacity.entries", "Bound of loaded adapters",
                cache::maxEntries);
        metrics.gauge("adapterhub.gateway.adapter.cache.capacity.bytes", "Bound of loaded adapter bytes",
                cache::maxBytes);
    }

    /**
     * Makes the adapter of {@code model} loaded on {@code base}'s engine and holds it until the lease is closed.
     *
     * @throws AdapterIncompatibleException when it does not fit
     * @throws dev.adapterhub.gateway.cache.CacheFullException when every slot is pinned or in use
     */
    public AdapterCache.Lease acquire(ServedModel model, BaseModelEngines.Loaded base) {
        AdapterVersion v = model.version();
        String key = model.cacheKey();
        return cache.acquire(key, model.label(), v.sizeBytes(), () -> load(model, base, key), loadWait);
    }

    private void load(ServedModel model, BaseModelEngines.Loaded base, String key) throws Exception {
        AdapterVersion v = model.version();
        if (!base.base().id().equals(v.base().id())) {
            throw new AdapterIncompatibleException(model.label() + " was validated against base model "
                    + v.base().name() + "@" + v.base().revision() + ", not " + base.base().ref());
        }
        Path dir = artifacts.adapter(v);
        List<String> problems = PeftAdapterFiles.validateDirectory(dir, modules(base));
        if (!problems.isEmpty()) {
            artifacts.deleteAdapter(base.base().id(), v.digest());
            throw new AdapterIncompatibleException(model.label() + " does not fit base model " + base.base().ref()
                    + ": " + String.join("; ", problems));
        }
        try {
            base.engine().loadAdapter(key, dir, base.base().id());
        } catch (Exception e) {
            artifacts.deleteAdapter(base.base().id(), v.digest());
            throw e;
        }
        LOG.infof("Loaded adapter %s (%s) on %s", model.label(), v.digest(), base.base().ref());
    }

    private LinearModules modules(BaseModelEngines.Loaded base) throws IOException {
        LinearModules m = baseModules.get(base.base().id());
        if (m == null) {
            m = LinearModules.fromCheckpoint(base.dir());
            baseModules.put(base.base().id(), m);
        }
        return m;
    }

    /** Cache unloader: detach from the engine (refused while the engine still runs it), then delete the files. */
    private boolean unload(String key) {
        int slash = key.indexOf('/');
        String baseId = key.substring(0, slash);
        String digest = key.substring(slash + 1);
        boolean unloaded = engines.peek(baseId).map(l -> l.engine().unloadAdapter(key)).orElse(true);
        if (unloaded) {
            artifacts.deleteAdapter(baseId, digest);
        }
        return unloaded;
    }

    public boolean pin(String key, boolean pinned) {
        return cache.pin(key, pinned);
    }

    public AdapterCache.EvictResult evict(String key) {
        return cache.evict(key);
    }

    public List<CacheEntryView> snapshot() {
        return cache.snapshot();
    }

    public AdapterCache cache() {
        return cache;
    }

    /** True when some version of the adapter is loaded (drives prefetch on alias moves). */
    public boolean hasLoadedVersionOf(String adapterName) {
        return cache.snapshot().stream().anyMatch(e -> nameOf(e.label()).equals(adapterName));
    }

    static String nameOf(String label) {
        int at = label.lastIndexOf('@');
        return at < 0 ? label : label.substring(0, at);
    }
}
