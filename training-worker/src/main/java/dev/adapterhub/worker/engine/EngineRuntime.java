package dev.adapterhub.worker.engine;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.device.Placement;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.worker.config.WorkerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;
import org.jboss.logging.Logger;

/** Applies the worker's device and thread settings to DJL before anything loads libtorch. */
@ApplicationScoped
public class EngineRuntime {

    private static final Logger LOG = Logger.getLogger(EngineRuntime.class);

    private final WorkerConfig.Runtime config;
    private volatile Device device;

    public EngineRuntime(WorkerConfig config) {
        this.config = config.runtime();
    }

    // Before the dispatch consumer (default priority) starts a job.
    void onStart(@Observes @Priority(10) StartupEvent event) {
        device();
    }

    /** Whether jobs run the compiled training forward (adapterhub.worker.runtime.compiled-forward). */
    public boolean compiledForward() {
        return config.compiledForward();
    }

    /** Where a job loads its base models: this worker's device, the job's dtype. */
    public Placement placement(DataType baseDataType) {
        return new Placement(device(), baseDataType);
    }

    /** The device jobs train on: {@code auto} picks CUDA when DJL sees a GPU. */
    public synchronized Device device() {
        if (device == null) {
            if (config.threads() > 0) {
                System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(config.threads()));
            }
            Devices.configureOffline();
            device = switch (config.device()) {
                case "cpu" -> Device.cpu();
                case "gpu" -> Device.gpu();
                case "auto" -> Devices.preferred();
                default -> throw new IllegalStateException(
                        "adapterhub.worker.runtime.device must be auto, cpu or gpu, got " + config.device());
            };
            LOG.infof("training device %s, libtorch threads %s", device,
                    System.getProperty("ai.djl.pytorch.num_threads", "libtorch default"));
        }
        return device;
    }
}
