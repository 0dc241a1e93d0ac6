package dev.adapterhub.gateway.serving;

import dev.adapterhub.gateway.cache.AdapterCache;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.inference.Generation;
import dev.adapterhub.gateway.inference.GenerationSpec;
import dev.adapterhub.gateway.inference.TokenSink;
import dev.adapterhub.gateway.metrics.GatewayMetrics;
import dev.adapterhub.gateway.openai.GenerationParams;
import dev.adapterhub.gateway.openai.InferenceCall;
import dev.adapterhub.gateway.resolve.ModelResolver;
import dev.adapterhub.gateway.resolve.ServedModel;
import dev.adapterhub.gateway.security.GatewayAccess;
import dev.adapterhub.registry.client.model.Caller;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one inference call: admission (bounded in-flight requests), model resolution, base model and adapter
 * loading, submission to the engine. Everything it takes (admission permit, base model reference, adapter lease)
 * is released exactly once when the generation ends, whatever the outcome: an adapter is never evicted while a
 * request uses it.
 */
@ApplicationScoped
public class InferenceService {

    /** A request that holds its resources and may be started once. */
    public final class Prepared {
        private final InferenceCall call;
        private final ServedModel model;
        private final BaseModelEngines.Loaded base;
        private final AdapterCache.Lease lease;
        private final AtomicBoolean released = new AtomicBoolean();

        private Prepared(InferenceCall call, ServedModel model, BaseModelEngines.Loaded base, AdapterCache.Lease lease) {
            this.call = call;
            this.model = model;
            this.base = base;
            this.lease = lease;
        }

        public ServedModel model() {
            return model;
        }

        /**
         * Submits to the engine; resources are released when the result completes. On a refusal they are released
         * at once and the mapped {@link ApiException} is thrown.
         */
        public Generation start(TokenSink sink) {
            GenerationParams p = call.params();
            long seed = p.seed() != null ? p.seed() : ThreadLocalRandom.current().nextLong();
            GenerationSpec spec = new GenerationSpec(call.prompt(), lease == null ? null : lease.key(),
                    p.maxTokens(), p.temperature(), p.topP(), seed, p.stops(), requestTimeout);
            Generation g;
            try {
                g = base.engine().submit(spec, sink);
            } catch (RuntimeException | Error e) {
                release();
                throw ErrorMapping.map(e);
            }
            // safety net above the engine's own per-request deadline: a stuck engine must not hold slots forever
            g.result().orTimeout(requestTimeout.plus(TIMEOUT_GRACE).toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((r, t) -> {
                        if (t != null) {
                            g.cancel();
                        }
                        release();
                    });
            return g;
        }

        /** Gives everything back; idempotent. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                try {
                    if (lease != null) {
                        lease.close();
                    }
                    engines.release(base);
                } finally {
                    admission.release();
                }
            }
        }
    }

    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(10);

    private final ModelResolver resolver;
    private final BaseModelEngines engines;
    private final AdapterManager adapters;
    private final Semaphore admission;
    private final Duration requestTimeout;
    private final GatewayAccess access;

    public InferenceService(ModelResolver resolver, BaseModelEngines engines, AdapterManager adapters,
                            GatewayMetrics metrics, GatewayConfig config, GatewayAccess access) {
        this.access = access;
        this.resolver = resolver;
        this.engines = engines;
        this.adapters = adapters;
        this.admission = new Semaphore(config.maxInFlightRequests());
        this.requestTimeout = config.requestTimeout();
        int max = config.maxInFlightRequests();
        metrics.gauge("adapterhub.gateway.requests.in.flight", "Requests admitted and not finished",
                () -> max - admission.availablePermits());
        metrics.gauge("adapterhub.gateway.queue.depth", "Requests waiting for a batch slot, all base models",
                () -> engines.all().stream().mapToInt(l -> l.engine().queuedRequests()).sum());
        metrics.gauge("adapterhub.gateway.requests.running", "Requests being decoded, all base models",
                () -> engines.all().stream().mapToInt(l -> l.engine().runningRequests()).sum());
        metrics.gauge("adapterhub.gateway.engine.weight.switches", "Weight switches of the loaded engines "
                + "(SHiRA fuse/restore, LoRA merge/restore); resets when a base model is reloaded",
                () -> engines.all().stream().mapToLong(l -> l.engine().weightSwitches()).sum());
        metrics.gauge("adapterhub.gateway.engine.tensor.bytes", "Bytes of the native tensors the loaded engines "
                + "hold (weights, adapters, decode buffers), counted by DJL",
                () -> engines.all().stream().mapToLong(l -> l.engine().memory().tensorBytes()).sum());
    }

    /**
     * Admits, resolves, checks that {@code caller} may use the model, and loads; blocking (registry calls, downloads, loads): call from a worker thread.
     *
     * @throws ApiException mapped failure; nothing is held then
     */
    public Prepared prepare(InferenceCall call, Caller caller) {
        if (!admission.tryAcquire()) {
            throw new ApiException(ApiError.OVERLOADED, "Too many requests in flight; retry later");
        }
        BaseModelEngines.Loaded base = null;
        try {
            ServedModel model = resolver.resolve(call.model());
            access.requireModel(caller, model, call.model());
            base = engines.acquire(model.base());
            AdapterCache.Lease lease = model.isAdapter() ? adapters.acquire(model, base) : null;
            return new Prepared(call, model, base, lease);
        } catch (RuntimeException | Error e) {
            if (base != null) {
                engines.release(base);
            }
            admission.release();
            throw ErrorMapping.map(e);
        }
    }

    /** Loads the adapter (or base model) a reference names without generating; used by the admin API. */
    public ServedModel preload(String ref) {
        ServedModel model = resolver.resolve(ref);
        BaseModelEngines.Loaded base = engines.acquire(model.base());
        try {
            if (model.isAdapter()) {
                adapters.acquire(model, base).close();
            }
            return model;
        } finally {
            engines.release(base);
        }
    }
}
