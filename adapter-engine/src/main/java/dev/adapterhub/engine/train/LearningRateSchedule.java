package dev.adapterhub.engine.train;

/** Learning rate as a function of the optimizer step (0-based). */
@FunctionalInterface
public interface LearningRateSchedule {

    double at(long step);

    /** The shape of the decay after warmup. */
    enum Kind {
        CONSTANT, LINEAR, COSINE
    }

    /**
     * Linear warmup from 0 to {@code peak} over {@code warmupSteps}, then the chosen decay to
     * {@code peak·minRatio} at {@code totalSteps} (as transformers' get_*_schedule_with_warmup with a floor).
     */
    static LearningRateSchedule of(Kind kind, double peak, long warmupSteps, long totalSteps, double minRatio) {
        if (peak <= 0 || warmupSteps < 0 || totalSteps < 1 || minRatio < 0 || minRatio > 1) {
            throw new IllegalArgumentException("invalid schedule");
        }
        return step -> {
            if (step < warmupSteps) {
                return peak * (step + 1) / (double) (warmupSteps + 1);
            }
            if (kind == Kind.CONSTANT) {
                return peak;
            }
            double span = Math.max(1, totalSteps - warmupSteps);
            double progress = Math.min(1.0, (step - warmupSteps) / span);
            double decay = kind == Kind.LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
            return peak * (minRatio + (1 - minRatio) * decay);
        };
    }
}
