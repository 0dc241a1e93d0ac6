package dev.adapterhub.engine.train;

/**
 * Where a job's training steps spent their time, in milliseconds per step (means over the steps run). Host time:
 * on a GPU, work is queued asynchronously, so {@code forward} and {@code backward} are the time to queue the
 * kernels (the per-op overhead that decides small-batch speed) and {@code deviceWait} is the time the host then waits for
 * the device to finish them (reading the loss synchronises); on a CPU every op runs as it is called and
 * {@code deviceWait} is near zero.
 *
 * @param batch    collating the micro-batches and copying them to the device
 * @param forward  the forward and the loss
 * @param backward autograd's backward
 * @param deviceWait reading the loss back
 * @param update   flattening the gradients, clipping, the optimizer step and zeroing the gradients
 */
public record StepPhases(double batch, double forward, double backward, double deviceWait, double update) {

    /** No steps run. */
    public static final StepPhases NONE = new StepPhases(0, 0, 0, 0, 0);

    /** Accumulates nanoseconds per phase over steps. */
    static final class Clock {
        private long batch;
        private long forward;
        private long backward;
        private long wait;
        private long update;
        private int steps;

        void batch(long nanos) {
            batch += nanos;
        }

        void forward(long nanos) {
            forward += nanos;
        }

        void backward(long nanos) {
            backward += nanos;
        }

        void waited(long nanos) {
            wait += nanos;
        }

        void update(long nanos) {
            update += nanos;
        }

        void stepDone() {
            steps++;
        }

        StepPhases means() {
            if (steps == 0) {
                return NONE;
            }
            double d = steps * 1e6;
            return new StepPhases(batch / d, forward / d, backward / d, wait / d, update / d);
        }
    }
}
