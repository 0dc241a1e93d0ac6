package dev.adapterhub.gateway.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code adapter} label's cardinality: the first {@code max} adapter names seen keep their own value,
 * every later one is reported as {@code other}; {@code base} (no adapter) is always its own value. First-seen
 * rather than a moving top-N because a label that changes meaning over time breaks rate() queries.
 */
public final class AdapterLabels {

    public static final String OTHER = "other";
    public static final String BASE = "base";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public AdapterLabels(int max) {
        this.max = max;
    }

    public String of(String adapterName) {
        if (adapterName == null || BASE.equals(adapterName)) {
            return BASE;
        }
        if (admitted.contains(adapterName)) {
            return adapterName;
        }
        synchronized (this) {
            if (admitted.size() < max) {
                admitted.add(adapterName);
                return adapterName;
            }
        }
        return admitted.contains(adapterName) ? adapterName : OTHER;
    }
}
