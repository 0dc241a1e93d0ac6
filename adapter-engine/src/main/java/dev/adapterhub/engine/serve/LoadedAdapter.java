package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * An adapter ready to serve. A LoRA lives in a {@link LoraPool} slot; a SHiRA keeps its flat indices and values on
 * the model's device, ready to be fused. Created and closed on the scheduler thread; {@link #info} may be read
 * anywhere.
 */
final class LoadedAdapter implements AutoCloseable {

    final AdapterInfo info;
    final int loraSlot;
    final Map<String, SparseModule> sparse;
    private final NDManager manager;

    private LoadedAdapter(AdapterInfo info, int loraSlot, Map<String, SparseModule> sparse, NDManager manager) {
        this.info = info;
        this.loraSlot = loraSlot;
        this.sparse = sparse;
        this.manager = manager;
    }

    static LoadedAdapter lora(AdapterInfo info, int slot) {
        return new LoadedAdapter(info, slot, Map.of(), null);
    }

    static LoadedAdapter shira(AdapterInfo info, Map<String, SparseModule> modules, NDManager manager) {
        return new LoadedAdapter(info, 0, Map.copyOf(modules), manager);
    }

    boolean isShira() {
        return info.kind() == AdapterKind.SHIRA;
    }

    String key() {
        return info.key();
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
