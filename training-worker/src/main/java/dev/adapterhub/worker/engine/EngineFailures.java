package dev.adapterhub.worker.engine;

import dev.adapterhub.engine.train.InvalidDatasetException;
import dev.adapterhub.engine.train.TrainingDivergedException;

/** How the engine's own exceptions read to the worker's failure handling. */
public final class EngineFailures {

    private EngineFailures() {
    }

    /** Failures another attempt cannot fix: an invalid dataset, a run whose loss diverged. */
    public static boolean isPermanent(Throwable e) {
        return e instanceof InvalidDatasetException || e instanceof TrainingDivergedException;
    }

    /** A prefix naming the kind of failure for the user ("training diverged: "), or "" when the message says it. */
    public static String kind(Throwable e) {
        return e instanceof TrainingDivergedException ? "training diverged: " : "";
    }
}
