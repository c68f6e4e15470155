package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.TestEngines;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constant that a gradient graph keeps for its backward pass must outlive the direct buffer
 * DJL made it from. With DJL's own {@code x.div(3f)} on PyTorch, collecting garbage and making
 * small direct buffers before the backward pass gave wrong gradients in 20 runs of 20 (the freed
 * constant's memory held another buffer's value); with {@link Constants}, none. And the values
 * are DJL's own, bit for bit.
 */
class ConstantsTest {
    private static final float[] X = {1.5f, -2f, 3.25f, 0.5f};

    /** Frees collected direct buffers and fills small freed blocks with 1e6. */
    private static List<ByteBuffer> churn() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            b.putFloat(0, 1e6f).putFloat(4, 1e6f);
            junk.add(b);
        }
        return junk;
    }

    private static float[] gradient(String engine, BiFunction<NDArray, Float, NDArray> op, float c)
            throws InterruptedException {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.create(X);
            x.setRequiresGradient(true);
            List<ByteBuffer> junk;
            try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                NDArray y = op.apply(x, c);
                junk = churn();
                gc.backward(y.sum());
            }
            assertEquals(2000, junk.size());
            return x.getGradient().toFloatArray();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aConstantTheBackwardPassNeedsSurvivesTheCollectionOfItsBuffer(String engine)
            throws InterruptedException {
        for (int run = 0; run < 5; run++) {
            float[] times = gradient(engine, Constants::times, 3f);
            float[] over = gradient(engine, Constants::over, 3f);
            float[] atLeast = gradient(engine, Constants::atLeast, 1f);
            float[] atMost = gradient(engine, Constants::atMost, 1f);
            float[] power = gradient(engine, (x, c) -> Constants.power(x, c), 2f);
            for (int i = 0; i < X.length; i++) {
                assertEquals(3f, times[i], "d(3x)/dx");
                assertEquals(1f / 3f, over[i], "d(x/3)/dx");
                assertEquals(X[i] > 1f ? 1f : 0f, atLeast[i], "d max(x, 1)/dx at " + X[i]);
                assertEquals(X[i] < 1f ? 1f : 0f, atMost[i], "d min(x, 1)/dx at " + X[i]);
                assertEquals(2 * X[i], power[i], 1e-6, "d x^2/dx at " + X[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theValuesAreDjlsOwn(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray x = m.create(X);
            for (Number c : new Number[] {0.3f, 0.3, 7f, 1.0 / Math.sqrt(12)}) {
                assertArrayEquals(x.mul(c).toFloatArray(), Constants.times(x, c).toFloatArray(), "x·" + c);
                assertArrayEquals(x.div(c).toFloatArray(), Constants.over(x, c).toFloatArray(), "x/" + c);
                assertArrayEquals(x.maximum(c).toFloatArray(), Constants.atLeast(x, c).toFloatArray());
                assertArrayEquals(x.minimum(c).toFloatArray(), Constants.atMost(x, c).toFloatArray());
                assertArrayEquals(x.abs().pow(c).toFloatArray(), Constants.power(x.abs(), c).toFloatArray());
            }
        }
    }
}
