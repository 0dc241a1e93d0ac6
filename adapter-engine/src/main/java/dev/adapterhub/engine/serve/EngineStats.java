package dev.adapterhub.engine.serve;

/**
 * A snapshot of the engine's counters (for metrics and the admin API).
 *
 * @param queuedRequests    waiting to be admitted
 * @param runningRows       rows in the running decode batch
 * @param loadedAdapters    adapters loaded
 * @param phase             what the base weights hold
 * @param fusedAdapter      key of the fused SHiRA / merged LoRA, null in {@link SchedulerPhase#MIXED}
 * @param switches          weight switches so far (each fuse, unfuse, merge or restore counts one)
 * @param prefillSteps      forwards that prefilled newly admitted requests
 * @param decodeSteps       forwards of the running batch
 * @param mixedDecodeSteps  decode steps that used the batched per-row LoRA path with several adapters
 * @param compiledPrefillSteps prefills run as one compiled call ({@code CompiledStep}); the rest ran eagerly
 * @param compiledDecodeSteps decode steps run as one compiled call
 * @param generatedTokens   tokens generated in total
 * @param completedRequests finished with STOP or LENGTH
 * @param rejectedRequests  refused with {@link QueueFullException}
 * @param timedOutRequests  ended with TIMEOUT
 * @param cancelledRequests ended with CANCELLED
 * @param lastSwitchMillis  duration of the last weight switch, 0 before the first
 * @param schedulerCpuMillis CPU time the scheduler thread used so far (busy time; -1 where the JVM cannot tell)
 */
public record EngineStats(int queuedRequests, int runningRows, int loadedAdapters, SchedulerPhase phase,
                          String fusedAdapter, long switches, long prefillSteps, long decodeSteps,
                          long mixedDecodeSteps, long compiledPrefillSteps, long compiledDecodeSteps,
                          long generatedTokens, long completedRequests, long rejectedRequests, long timedOutRequests, long cancelledRequests,
                          double lastSwitchMillis, double schedulerCpuMillis) {
}
