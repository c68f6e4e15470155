package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.TestEngines;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Max pooling by strided views (PyTorch, no gradient recorded) gives the engine's own pool's
 * values bit for bit, ties, NaN and infinities included; under a gradient collector the engine's
 * pool runs, whose gradient goes to the first maximum of a window.
 */
class MaxPoolKernelTest {
    /** Small integers (many ties), a NaN, infinities, the lowest float and both zeros. */
    private static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(7) - 3;
        }
        float[] special = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            -Float.MAX_VALUE, -0f, 0f};
        for (float s : special) {
            v[r.nextInt(n)] = s;
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void givesTheEnginesPoolBitForBit(String engine) {
        int[][] windows = {{2, 2}, {3, 2}, {3, 1}, {2, 3}, {1, 2}, {3, 3}};
        try (NDManager m = TestEngines.manager(engine)) {
            for (int[] w : windows) {
                // two spatial axes, 9 x 8 (windows that do not fit are dropped)
                NDArray x = m.create(values(2 * 3 * 9 * 8, w[0] * 10L + w[1]), new Shape(2, 3, 9, 8));
                Shape k = new Shape(w[0], w[1]);
                Shape s = new Shape(w[1], w[0]);
                NDArray want = Pool.maxPool2d(x, k, s, new Shape(0, 0), false);
                NDArray got = MaxPoolKernel.maxPool(x, k, s);
                assertEquals(want.getShape(), got.getShape(), "pool " + k + " stride " + s);
                assertArrayEquals(want.toFloatArray(), got.toFloatArray(), "pool " + k + " stride " + s);
                // one spatial axis, 11 long
                NDArray x1 = m.create(values(2 * 3 * 11, w[0] + 100L * w[1]), new Shape(2, 3, 11));
                NDArray want1 = Pool.maxPool1d(x1, new Shape(w[0]), new Shape(w[1]), new Shape(0), false);
                NDArray got1 = MaxPoolKernel.maxPool(x1, new Shape(w[0]), new Shape(w[1]));
                assertEquals(want1.getShape(), got1.getShape());
                assertArrayEquals(want1.toFloatArray(), got1.toFloatArray(), "1-d pool " + w[0] + " stride " + w[1]);
            }
            assertEquals(engine.equals("PyTorch"), MaxPoolKernel.byViews(m.zeros(new Shape(1, 1, 2, 2))),
                    "strided views are PyTorch's path at inference");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void underAGradientCollectorTheFirstMaximumTakesTheGradient(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            // one 2x2 window holding 5 twice: the views' maximum would give each half
            NDArray x = m.create(new float[] {5, 5, 1, 2}, new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                assertFalse(MaxPoolKernel.byViews(x));
                gc.backward(MaxPoolKernel.maxPool(x, new Shape(2, 2), new Shape(2, 2)).sum());
            }
            assertArrayEquals(new float[] {1, 0, 0, 0}, x.getGradient().toFloatArray());
        }
    }
}
