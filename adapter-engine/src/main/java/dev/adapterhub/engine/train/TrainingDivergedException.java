package dev.adapterhub.engine.train;

/** The training loss became NaN or infinite; the job stops instead of training on garbage. */
public class TrainingDivergedException extends RuntimeException {

    private final int step;

    public TrainingDivergedException(int step, double loss) {
        super("training diverged at step " + step + " (loss " + loss + "); lower the learning rate");
        this.step = step;
    }

    /** 1-based step whose loss was not finite. */
    public int step() {
        return step;
    }
}
