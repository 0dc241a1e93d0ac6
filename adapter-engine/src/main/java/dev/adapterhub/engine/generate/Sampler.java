package dev.adapterhub.engine.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token from one row of logits on the host: greedy, or temperature + nucleus (top-p) sampling. */
public final class Sampler {

    private final float temperature;
    private final float topP;
    private final Random random;

    public Sampler(float temperature, float topP, long seed) {
        this.temperature = temperature;
        this.topP = topP;
        this.random = new Random(seed);
    }

    /** The next token for one row of logits [V]. */
    public int next(float[] logits) {
        if (temperature == 0f) {
            return argMax(logits);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] probs = p;
        double total = sum;
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        // smallest prefix (by decreasing probability) whose mass reaches topP
        double kept = 0;
        int n = 0;
        while (n < order.length && (n == 0 || kept < topP * total)) {
            kept += probs[order[n]];
            n++;
        }
        double u = random.nextDouble() * kept;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += probs[order[i]];
            if (u < acc) {
                return order[i];
            }
        }
        return order[n - 1];
    }

    public static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
