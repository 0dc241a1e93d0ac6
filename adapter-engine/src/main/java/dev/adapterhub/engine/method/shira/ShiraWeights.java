package dev.adapterhub.engine.method.shira;

import dev.adapterhub.formats.peft.PeftConfig;
import java.util.Map;

/** A PEFT SHiRA adapter read from disk, on the host: the config and a delta per module. */
public record ShiraWeights(PeftConfig config, Map<String, SparseDelta> deltas) {
}
