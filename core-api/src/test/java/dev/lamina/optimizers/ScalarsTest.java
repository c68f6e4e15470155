package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.lamina.testing.TestEngines;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kept numbers give DJL's own results bit for bit, outlive a batch's scope, and are bounded. */
class ScalarsTest {
    private static NDArray normal(NDManager m, long seed) {
        Random r = new Random(seed);
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(10, 100));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sameBitsAsDjlsOwnCalls(String engine) {
        float[] values = {0.05f, 1 - 0.999f, 1e-7f, (float) (0.001 * Math.sqrt(1 - 0.999) / (1 - 0.9)), -3.25f};
        try (NDManager m = TestEngines.manager(engine); Scalars s = new Scalars()) {
            for (int round = 0; round < 2; round++) { // the second round uses the kept arrays
                for (float v : values) {
                    NDArray a = normal(m, Float.floatToIntBits(v));
                    assertArrayEquals(a.mul(v).toFloatArray(), s.mul(a, v).toFloatArray(), "mul " + v);
                    assertArrayEquals(a.add(v).toFloatArray(), s.addi(a.duplicate(), v).toFloatArray(), "addi " + v);
                    NDArray want = a.duplicate().muli(v);
                    NDArray got = a.duplicate();
                    assertEquals(got, s.muli(got, v), "muli works in place");
                    assertArrayEquals(want.toFloatArray(), got.toFloatArray(), "muli " + v);
                }
            }
        }
    }

    /** The training loop runs each update in a scope that frees the batch's arrays: not the kept ones. */
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void keptNumbersOutliveTheBatchScopeAndManager(String engine) {
        try (NDManager m = TestEngines.manager(engine); Scalars s = new Scalars()) {
            for (int batch = 0; batch < 3; batch++) {
                try (NDManager bm = m.newSubManager(); NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray g = bm.create(new float[] {2, -4});
                    assertArrayEquals(new float[] {0.1f, -0.2f}, s.muli(g, 0.05f).toFloatArray());
                }
            }
        }
    }

    /** More distinct numbers than are kept (a rate that changes every step): the results stay right. */
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aRateThatChangesEveryStepStaysRight(String engine) {
        try (NDManager m = TestEngines.manager(engine); Scalars s = new Scalars()) {
            NDArray a = m.create(new float[] {3});
            for (int t = 1; t <= 3 * Scalars.KEPT; t++) {
                float v = 1f / t;
                assertEquals(3 * v, s.mul(a, v).getFloat(), 0, "step " + t);
                assertEquals(3 * (1f / 2), s.mul(a, 1f / 2).getFloat(), 0, "a number kept since step 2");
            }
        }
    }
}
