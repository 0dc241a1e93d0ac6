package dev.adapterhub.gateway.inference;

import java.util.concurrent.CompletableFuture;

/** A submitted generation: its result, and a way to stop it (client gone, timeout). */
public interface Generation {

    CompletableFuture<GenerationOutcome> result();

    /** Stops decoding this request at the next step; the result then completes exceptionally or as cancelled. */
    void cancel();
}
