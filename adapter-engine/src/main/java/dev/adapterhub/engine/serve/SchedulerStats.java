package dev.adapterhub.engine.serve;

/**
 * The scheduler's counters and the state it last published. Written by the scheduler thread only, read by any
 * thread through {@link #snapshot}; volatile fields are enough for one writer.
 */
final class SchedulerStats {

    private volatile int runningRows;
    private volatile SchedulerPhase phase = SchedulerPhase.MIXED;
    private volatile String fusedKey;
    private volatile long switches;
    private volatile double lastSwitchMillis;
    private volatile long prefillSteps;
    private volatile long decodeSteps;
    private volatile long mixedDecodeSteps;
    private volatile long compiledDecodeSteps;
    private volatile long compiledPrefillSteps;
    private volatile long generatedTokens;
    private volatile long completed;
    private volatile long timedOut;
    private volatile long cancelled;

    void prefillStep(boolean compiled) {
        prefillSteps++;
        if (compiled) {
            compiledPrefillSteps++;
        }
    }

    /** One decode step; {@code mixed} when its rows used more than one LoRA. */
    void decodeStep(boolean mixed, boolean compiled) {
        decodeSteps++;
        if (mixed) {
            mixedDecodeSteps++;
        }
        if (compiled) {
            compiledDecodeSteps++;
        }
    }

    void generatedToken() {
        generatedTokens++;
    }

    void ended(ServeFinishReason reason) {
        switch (reason) {
            case STOP, LENGTH -> completed++;
            case TIMEOUT -> timedOut++;
            case CANCELLED -> cancelled++;
            default -> { }
        }
    }

    /** The running batch and the weights as of the end of a step. */
    void publish(int rows, SchedulerPhase weightsPhase, String adapterKey, long weightSwitches, double switchMillis) {
        runningRows = rows;
        phase = weightsPhase;
        fusedKey = adapterKey;
        switches = weightSwitches;
        lastSwitchMillis = switchMillis;
    }

    /** After shutdown: nothing runs and the base weights are restored. */
    void publishStopped() {
        runningRows = 0;
        phase = SchedulerPhase.MIXED;
        fusedKey = null;
    }

    EngineStats snapshot(int queued, int loaded, long rejected, double cpuMillis) {
        return new EngineStats(queued, runningRows, loaded, phase, fusedKey, switches, prefillSteps, decodeSteps,
                mixedDecodeSteps, compiledPrefillSteps, compiledDecodeSteps, generatedTokens, completed, rejected,
                timedOut, cancelled, lastSwitchMillis, cpuMillis);
    }
}
