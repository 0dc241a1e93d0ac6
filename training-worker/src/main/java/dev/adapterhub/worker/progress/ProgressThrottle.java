package dev.adapterhub.worker.progress;

import java.time.Duration;

/**
 * Decides which training steps are reported to the registry: at most one ordinary step per interval, but
 * always the first and last step, every evaluation and every checkpoint (those are what users and the resume
 * logic need). Time is passed in, so the rule is testable without sleeping.
 */
public final class ProgressThrottle {

    private final long intervalNanos;
    private long lastReportNanos;
    private boolean reportedOnce;

    public ProgressThrottle(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative");
        }
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param nowNanos a monotonic clock reading ({@link System#nanoTime()})
     * @return whether this step should be reported; when true, the interval restarts
     */
    public boolean shouldReport(long nowNanos, int step, int totalSteps, boolean evaluated, boolean checkpointed) {
        boolean due = !reportedOnce || nowNanos - lastReportNanos >= intervalNanos || step >= totalSteps
                || evaluated || checkpointed;
        if (due) {
            reportedOnce = true;
            lastReportNanos = nowNanos;
        }
        return due;
    }
}
