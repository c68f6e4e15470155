package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.SystemProperties;
import dev.lamina.testing.TestEngines;
import org.junit.jupiter.api.Test;
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

    /**
     * MXNet writes gradients afresh, so an update only resets MXNet's mark ({@code release}): the
     * gradient stays as the update left it until the next backward pass writes it, or, when that
     * pass does not reach the weight, until {@code settle} finds it unmarked and clears it, the
     * value a clear after the update would have left. PyTorch (and MXNet without the marks) clear.
     */
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void anUnmarkedGradientIsClearedBeforeItIsReadAndAMarkedOneIsLeft(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray w = m.create(new float[] {1, 2});
            NDArray v = m.create(new float[] {3, 4});
            w.setRequiresGradient(true);
            v.setRequiresGradient(true);
            boolean marks = engine.equals("MXNet");
            assertEquals(marks, MxnetGradientMarks.tracks(w));
            backward(m, w, new float[] {0.5f, -4});
            Gradients.settle(w, w.getGradient()); // this pass's gradient: left as it is
            assertArrayEquals(new float[] {0.5f, -4}, w.getGradient().toFloatArray());
            Gradients.release(w, w.getGradient());
            assertArrayEquals(marks ? new float[] {0.5f, -4} : new float[] {0, 0},
                    w.getGradient().toFloatArray());
            backward(m, v, new float[] {2, 3}); // does not reach w
            Gradients.settle(w, w.getGradient());
            Gradients.settle(v, v.getGradient());
            assertArrayEquals(new float[] {0, 0}, w.getGradient().toFloatArray());
            assertArrayEquals(new float[] {2, 3}, v.getGradient().toFloatArray());
            // without the marks the gradient is cleared after its update, on MXNet too
            SystemProperties.with(Gradients.MARKS_PROPERTY, "false", () -> {
                assertFalse(MxnetGradientMarks.tracks(v));
                Gradients.release(v, v.getGradient());
                assertArrayEquals(new float[] {0, 0}, v.getGradient().toFloatArray());
                return null;
            });
        }
    }

    /**
     * Reaching MXNet's functions must not make libmxnet's symbols global: its own libjpeg would
     * then stand in for the JDK's, and ImageIO loses JPEG (it did, opened with JNA's default).
     */
    @Test
    void reachingMxnetsFunctionsLeavesItsSymbolsLocal() {
        try (NDManager m = TestEngines.manager("MXNet")) {
            NDArray w = m.create(new float[] {1});
            w.setRequiresGradient(true);
            assertTrue(MxnetGradientMarks.tracks(w));
            assertThrows(UnsatisfiedLinkError.class,
                    () -> com.sun.jna.NativeLibrary.getProcess().getFunction("MXNDArrayGetGradState"));
        }
    }
}
