package dev.adapterhub.engine.serve;

import java.time.Duration;
import java.util.List;

/**
 * A loaded adapter.
 *
 * @param key           the caller's key (immutable version digest)
 * @param kind          LoRA or SHiRA
 * @param rank          the largest LoRA rank over its modules, or SHiRA's {@code r}
 * @param modules       the base linears it changes (HF module names)
 * @param parameters    number of adapter values (A+B entries, or SHiRA K per module summed)
 * @param baseModelName {@code base_model_name_or_path} from its config, may be null
 * @param loadTime      files on disk to ready to serve
 */
public record AdapterInfo(String key, AdapterKind kind, int rank, List<String> modules, long parameters,
                          String baseModelName, Duration loadTime) {

    public AdapterInfo {
        modules = List.copyOf(modules);
    }

    AdapterInfo withLoadTime(Duration d) {
        return new AdapterInfo(key, kind, rank, modules, parameters, baseModelName, d);
    }
}
