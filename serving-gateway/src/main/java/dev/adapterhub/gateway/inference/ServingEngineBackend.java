package dev.adapterhub.gateway.inference;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.BasePrecision;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.serve.AdapterAlreadyLoadedException;
import dev.adapterhub.engine.serve.AdapterInUseException;
import dev.adapterhub.engine.serve.AdapterNotLoadedException;
import dev.adapterhub.engine.serve.EngineClosedException;
import dev.adapterhub.engine.serve.IncompatibleAdapterException;
import dev.adapterhub.engine.serve.LoraFusion;
import dev.adapterhub.engine.serve.RequestHandle;
import dev.adapterhub.engine.serve.ServeRequest;
import dev.adapterhub.engine.serve.ServeResult;
import dev.adapterhub.engine.serve.ServingEngine;
import dev.adapterhub.engine.serve.ServingSettings;
import dev.adapterhub.engine.serve.TensorMemory;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.gateway.cache.AdapterIncompatibleException;
import dev.adapterhub.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link InferenceBackend} on adapter-engine's {@code ServingEngine}: one engine (one scheduler thread, batched
 * mixed-adapter decoding, fused SHiRA) per loaded base model. With {@link EngineErrors}, the gateway's bridge to
 * the engine: only this package uses adapter-engine and DJL (GatewayArchitectureTest).
 */
@ApplicationScoped
public class ServingEngineBackend implements InferenceBackend {

    private static final Logger LOG = Logger.getLogger(ServingEngineBackend.class);
    private static final String DTYPE_PROPERTY = "adapterhub.gateway.runtime.dtype";

    private final GatewayConfig config;

    public ServingEngineBackend(GatewayConfig config) {
        this.config = config;
    }

    /** A misspelt or unsupported {@code runtime.dtype} stops the gateway at startup, not at the first request. */
    void validate(@Observes StartupEvent event) {
        BasePrecision.resolve(config.runtime().dtype(), Device.cpu(), DTYPE_PROPERTY); // the device only decides auto
    }

    @Override
    public ModelEngine open(String baseModelId, Path checkpointDir) throws Exception {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads(config.runtime().threads(),
                    Runtime.getRuntime().availableProcessors())));
        }
        Devices.configureOffline();
        Device device = device(config.runtime().device());
        DataType dtype = BasePrecision.resolve(config.runtime().dtype(), device, DTYPE_PROPERTY);
        LlamaModel model = CheckpointIO.load(checkpointDir, device, dtype);
        LOG.infof("base model %s loaded on %s in %s", baseModelId, device, BasePrecision.name(model.dataType()));
        TextTokenizer tokenizer = null;
        try {
            tokenizer = TextTokenizer.load(checkpointDir.resolve("tokenizer.json"));
            ServingSettings settings = ServingSettings.defaults()
                    .withMaxQueuedRequests(config.runtime().maxQueuedRequests())
                    .withMaxBatchRows(config.runtime().maxBatchSize())
                    .withMaxNewTokens(config.maxTokensLimit())
                    .withDefaultTimeout(config.requestTimeout())
                    .withBaseModelId(baseModelId)
                    .withLoraFusion(LoraFusion.valueOf(config.runtime().loraFusion()))
                    .withPhaseQuantum(config.runtime().phaseQuantum())
                    .withCompiledSteps(config.runtime().compiledSteps())
                    .withRetryAfter(Duration.ofSeconds(config.retryAfterSeconds()));
            ServingEngine engine = ServingEngine.start(model, tokenizer, settings);
            // what the loaded weights are, not what was asked for: the admin API shows it
            return new Engine(engine, model, tokenizer, model.manager().getDevice().toString(),
                    BasePrecision.name(model.dataType()));
        } catch (RuntimeException | Error e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * libtorch's intra-op threads: the setting, or for 0 every core but one. A step whose ops run on every core
     * waits for whichever thread the HTTP side preempted: on 2 cores that added 0.2-0.7 ms per token, with one
     * core left 0.07 ms (docs/reliability.md, GatewayTokenOverheadST).
     */
    static int torchThreads(int configured, int cores) {
        return configured > 0 ? configured : Math.max(1, cores - 1);
    }

    private static Device device(String name) {
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            case "auto" -> Devices.preferred();
            default -> throw new IllegalArgumentException("adapterhub.gateway.runtime.device must be auto, cpu or gpu");
        };
    }

    private static final class Engine implements ModelEngine {
        private final ServingEngine engine;
        private final LlamaModel model;
        private final TextTokenizer tokenizer;
        private final String device;
        private final String dtype;

        Engine(ServingEngine engine, LlamaModel model, TextTokenizer tokenizer, String device, String dtype) {
            this.engine = engine;
            this.model = model;
            this.tokenizer = tokenizer;
            this.device = device;
            this.dtype = dtype;
        }

        @Override
        public String device() {
            return device;
        }

        @Override
        public String dtype() {
            return dtype;
        }

        @Override
        public void loadAdapter(String key, Path peftDir, String expectedBaseModel) {
            try {
                engine.loadAdapter(key, peftDir, expectedBaseModel);
            } catch (AdapterAlreadyLoadedException e) {
                // same key = same immutable content: already what the caller wants
            } catch (IncompatibleAdapterException e) {
                throw new AdapterIncompatibleException("The adapter does not fit its base model: "
                        + String.join("; ", e.problems()));
            }
        }

        @Override
        public boolean unloadAdapter(String key) {
            try {
                engine.unloadAdapter(key);
                return true;
            } catch (AdapterInUseException e) {
                return false;
            } catch (AdapterNotLoadedException e) {
                return true;
            }
        }

        @Override
        public Generation submit(GenerationSpec spec, TokenSink sink) {
            ServeRequest req = ServeRequest.text(spec.prompt())
                    .withAdapter(spec.adapterKey())
                    .withMaxTokens(spec.maxTokens())
                    .withSampling(spec.temperature(), spec.topP(), spec.seed())
                    .withStop(spec.stops())
                    .withTimeout(spec.timeout());
            RequestHandle h = engine.submit(req, sink::onText); // refusals: see EngineErrors
            CompletableFuture<GenerationOutcome> result = h.result().thenApply(Engine::outcome);
            return new Generation() {
                @Override
                public CompletableFuture<GenerationOutcome> result() {
                    return result;
                }

                @Override
                public void cancel() {
                    h.cancel();
                }
            };
        }

        private static GenerationOutcome outcome(ServeResult r) {
            GenerationOutcome.Finish finish = switch (r.finishReason()) {
                case STOP -> GenerationOutcome.Finish.STOP;
                case LENGTH -> GenerationOutcome.Finish.LENGTH;
                case CANCELLED -> GenerationOutcome.Finish.CANCELLED;
                case TIMEOUT -> GenerationOutcome.Finish.TIMEOUT;
            };
            return new GenerationOutcome(r.text(), finish, r.promptTokens(), r.completionTokens(),
                    r.timeToFirstToken());
        }

        @Override
        public int queuedRequests() {
            return engine.stats().queuedRequests();
        }

        @Override
        public int runningRequests() {
            return engine.stats().runningRows();
        }

        @Override
        public long weightSwitches() {
            return engine.stats().switches();
        }

        @Override
        public EngineMemory memory() {
            try {
                TensorMemory m = engine.tensorMemory();
                return new EngineMemory(m.arrays(), m.bytes());
            } catch (EngineClosedException e) {
                return EngineMemory.NONE;
            }
        }

        @Override
        public void close() {
            try {
                engine.close();
            } finally {
                try {
                    if (tokenizer != null) {
                        tokenizer.close();
                    }
                } finally {
                    model.close();
                }
            }
        }
    }
}
