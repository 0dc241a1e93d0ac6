package dev.adapterhub.engine.train;

import java.util.List;

/**
 * Outcome of a job.
 *
 * @param losses       training loss of every step run by this job (index 0 = its first step)
 * @param evals        every evaluation in order
 * @param prepareMillis method preparation time (0 when resumed)
 * @param trainMillis  wall time of the steps (eval and checkpoints excluded)
 * @param phases       where the steps' time went, per step
 * @param compiledForwards micro-batches whose forward ran compiled ({@link TrainingConfig#compiledForward()})
 */
public record TrainingResult(String method, int steps, List<Double> losses, List<TrainingListener.Eval> evals,
                             long prepareMillis, long trainMillis, long trainableParameters,
                             StepPhases phases, long compiledForwards) {

    public double meanStepMillis() {
        return losses.isEmpty() ? 0 : (double) trainMillis / losses.size();
    }

    /** Last evaluation, or null. */
    public TrainingListener.Eval finalEval() {
        return evals.isEmpty() ? null : evals.get(evals.size() - 1);
    }
}
