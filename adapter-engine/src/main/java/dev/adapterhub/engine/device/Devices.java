package dev.adapterhub.engine.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Engine setup for DJL's PyTorch engine on machines without internet access.
 *
 * <p>{@link #configureOffline()} must run before anything touches {@link Engine}: without
 * {@code ai.djl.offline=true} the engine start tries a telemetry call, and without
 * {@code ai.djl.default_engine=PyTorch} the tokenizers jar's engine may be picked. Values already set (as system
 * properties, e.g. by surefire or a launcher) are never overwritten. The thread count defaults to the number of
 * available processors; set {@code ai.djl.pytorch.num_threads} to share a machine.
 */
public final class Devices {

    private static volatile boolean configured;

    private Devices() {
    }

    /** Idempotent; sets the offline / engine / threading system properties that are not set yet. */
    public static void configureOffline() {
        if (configured) {
            return;
        }
        synchronized (Devices.class) {
            if (configured) {
                return;
            }
            setIfAbsent("ai.djl.offline", "true");
            setIfAbsent("ai.djl.default_engine", "PyTorch");
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
            setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
            configured = true;
        }
    }

    /** The PyTorch engine (configured offline). */
    public static Engine engine() {
        configureOffline();
        return Engine.getEngine("PyTorch");
    }

    /** CUDA device 0 when the engine finds a GPU, otherwise the CPU. */
    public static Device preferred() {
        Engine engine = engine();
        return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }

    /** A new base manager on {@link #preferred()}; the caller closes it. */
    public static NDManager newManager() {
        return newManager(preferred());
    }

    /** A new base manager on the given device; the caller closes it. */
    public static NDManager newManager(Device device) {
        return engine().newBaseManager(device);
    }

    /**
     * Turns autograd recording off for the calling thread. Grad mode is thread-local in PyTorch, so inference
     * worker threads must call this or forwards through trainable arrays build autograd graphs.
     */
    public static void inferenceThread() {
        engine();
        JniUtils.setGradMode(false);
    }

    /**
     * Runs {@code work} with autograd recording off on this thread and restores the previous mode afterwards
     * (like {@code torch.no_grad()}).
     */
    public static <T> T noGrad(java.util.function.Supplier<T> work) {
        engine();
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(envName(key)) == null) {
            System.setProperty(key, value);
        }
    }

    private static String envName(String key) {
        // DJL reads e.g. DJL_OFFLINE for ai.djl.offline; other keys have no environment form.
        return "ai.djl.offline".equals(key) ? "DJL_OFFLINE" : key;
    }
}
