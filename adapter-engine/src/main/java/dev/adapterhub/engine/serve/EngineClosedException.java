package dev.adapterhub.engine.serve;

/** The engine is closed (or closing) and accepts nothing. */
public final class EngineClosedException extends ServingException {

    public EngineClosedException() {
        super("the serving engine is closed");
    }
}
