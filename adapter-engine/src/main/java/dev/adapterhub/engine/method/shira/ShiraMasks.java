package dev.adapterhub.engine.method.shira;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** Mask selection: sorted, distinct row-major flat positions ({@code row·in + col}) of one weight. */
public final class ShiraMasks {

    private ShiraMasks() {
    }

    /** PEFT's count: the parameter count of a rank-r LoRA on the same layer, capped at the weight size. */
    public static int count(int rank, int in, int out) {
        return (int) Math.min((long) rank * (in + out), (long) in * out);
    }

    /** K distinct positions of {@code size} uniformly at random (Floyd's algorithm). */
    public static long[] random(long size, int k, long seed) {
        if (k > size) {
            throw new IllegalArgumentException("cannot pick " + k + " of " + size);
        }
        Random random = new Random(seed);
        Set<Long> chosen = new HashSet<>(k * 2);
        for (long j = size - k; j < size; j++) {
            long t = (long) (random.nextDouble() * (j + 1));
            if (t > j) {
                t = j;
            }
            if (!chosen.add(t)) {
                chosen.add(j);
            }
        }
        long[] out = new long[k];
        int i = 0;
        for (long v : chosen) {
            out[i++] = v;
        }
        Arrays.sort(out);
        return out;
    }

    /** Positions of the K largest entries of {@code score} (any shape, read flat), sorted ascending. */
    public static long[] topK(NDArray score, int k) {
        try (NDManager work = score.getManager().newSubManager()) {
            NDArray flat = score.toType(DataType.FLOAT32, true).reshape(-1);
            flat.attach(work);
            NDArray indices = flat.topK(k, 0, true, false).get(1);
            long[] out = indices.toType(DataType.INT64, false).toLongArray();
            Arrays.sort(out);
            return out;
        }
    }
}
