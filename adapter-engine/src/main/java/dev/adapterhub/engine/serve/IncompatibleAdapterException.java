package dev.adapterhub.engine.serve;

import java.util.List;

/** The adapter cannot be served on this base model; nothing was loaded. */
public final class IncompatibleAdapterException extends ServingException {

    private final List<String> problems;

    public IncompatibleAdapterException(String key, List<String> problems) {
        super("adapter '" + key + "' cannot be served on this base model: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every reason found, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
