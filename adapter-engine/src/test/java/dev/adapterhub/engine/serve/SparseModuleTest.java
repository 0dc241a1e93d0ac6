package dev.adapterhub.engine.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.method.shira.SparseDelta;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.ResidentSparse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class SparseModuleTest {

    private static final int OUT = 48;
    private static final int IN = 40;
    private static final int K = 300;

    /**
     * The resident values must own their memory: a module built from Java arrays and then left alone while the GC
     * runs and fresh direct buffers (filled with NaN) take the freed memory must still fuse exactly
     * {@code W + scale·delta}, and restore W bit-exactly. (Built on an alias of a GC-freed buffer, this fused NaN.)
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.5})
    void residentValuesSurviveGarbageCollection(double scale) {
        Random random = new Random(7);
        float[] w = new float[OUT * IN];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        int[] rows = new int[K];
        int[] cols = new int[K];
        float[] values = new float[K];
        for (int i = 0; i < K; i++) {
            rows[i] = i / IN; // unique positions: the first K of the row-major order
            cols[i] = i % IN;
            values[i] = (float) random.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AdaptableLinear linear = new AdaptableLinear("w", TorchOwned.create(m, w, new Shape(OUT, IN)));
            SparseModule module = SparseModule.resident(m, new SparseDelta(rows, cols, values), linear, scale);

            reuseFreedDirectMemory(K * Float.BYTES);

            fuse(module, linear);
            float[] fused = linear.weight().toFloatArray();
            float[] expected = w.clone();
            for (int i = 0; i < K; i++) {
                expected[rows[i] * IN + cols[i]] = w[rows[i] * IN + cols[i]] + (float) (scale * values[i]);
            }
            assertArrayEquals(expected, fused, 1e-6f);
            linear.unfuseSparse("a");
            assertArrayEquals(w, linear.weight().toFloatArray(), 0f);

            fuse(module, linear); // the second fuse reuses the resident arrays
            assertArrayEquals(expected, linear.weight().toFloatArray(), 1e-6f);
            linear.unfuseSparse("a");
        }
    }

    private static void fuse(SparseModule module, AdaptableLinear linear) {
        ResidentSparse r = module.prepare(linear.name(), linear);
        linear.fuseSparseResident("a", r.flatIndices(), r.fusedValues(), r.originals());
    }

    /** Lets the GC free unreachable direct buffers, then hands their memory out again, filled with NaN. */
    private static void reuseFreedDirectMemory(int bytes) {
        List<ByteBuffer> held = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            System.gc();
            for (int i = 0; i < 20; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
                while (b.remaining() >= Float.BYTES) {
                    b.putFloat(Float.NaN);
                }
                held.add(b);
            }
        }
        held.clear();
    }
}
