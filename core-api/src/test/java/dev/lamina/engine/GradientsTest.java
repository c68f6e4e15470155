package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Clearing a gradient leaves zeros, and the next backward pass then gives that pass's gradient alone. */
class GradientsTest {
    /** d/dw of sum(w · x) is x: a gradient of known values. */
    private static void backward(NDManager m, NDArray w, float[] x) {
        try (GradientCollector gc = Engine.getEngine(m.getEngine().getEngineName()).newGradientCollector()) {
            gc.backward(w.mul(m.create(x)).sum());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void clearLeavesZerosAndTheNextPassStartsFromThem(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray w = m.create(new float[] {1, 2, 3});
            w.setRequiresGradient(true);
            backward(m, w, new float[] {0.5f, -4, 7});
            Gradients.clear(w, w.getGradient());
            assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray());
            backward(m, w, new float[] {2, 3, -1});
            assertArrayEquals(new float[] {2, 3, -1}, w.getGradient().toFloatArray());
        }
    }

    /** PyTorch's zero_ clears a gradient that is not finite too (x − x would leave NaN). */
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aGradientThatIsNotFiniteIsClearedOnPyTorch(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray w = m.create(new float[] {1, 2});
            w.setRequiresGradient(true);
            backward(m, w, new float[] {Float.NaN, Float.POSITIVE_INFINITY});
            Gradients.clear(w, w.getGradient());
            float[] want = engine.equals("PyTorch") ? new float[] {0, 0} : new float[] {Float.NaN, Float.NaN};
            assertArrayEquals(want, w.getGradient().toFloatArray());
        }
    }
}
