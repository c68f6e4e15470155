package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.LayerRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** max_pool1d/2d, avg_pool1d/2d, global_avg_pool, global_max_pool. */
class PoolingTest {
    static final float[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void avgPoolSameLeavesThePaddingOutOfTheAverage(String engine) {
        // 2x2 windows, stride 2 on 3x3: pad 1 after on each axis; windows hold 4, 2, 2 and 1 values
        try (LayerRun r = LayerRun.of(engine, new AvgPool2d(2, 2, "same"), new Shape(1, 3, 3), 1)) {
            assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, r.forward(false, NINE), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void avgPoolValid(String engine) {
        try (LayerRun r = LayerRun.of(engine, new AvgPool2d(), new Shape(1, 3, 3), 1)) {
            assertArrayEquals(new float[] {3}, r.forward(false, NINE), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void maxPoolSameNeverPicksThePadding(String engine) {
        float[] x = new float[9];
        for (int i = 0; i < 9; i++) {
            x[i] = -NINE[i];
        }
        try (LayerRun r = LayerRun.of(engine, new MaxPool2d(2, 2, "same"), new Shape(1, 3, 3), 1)) {
            assertArrayEquals(new float[] {-1, -3, -7, -9}, r.forward(false, x), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void oneDimensionalPools(String engine) {
        float[] x = {1, 5, 2, 8, 3};
        // same, pool 2, stride 2 on 5: pad 1 at the end -> windows [1,5] [2,8] [3]
        try (LayerRun r = LayerRun.of(engine, new MaxPool1d(2, 2, "same"), new Shape(1, 5), 1)) {
            assertArrayEquals(new float[] {5, 8, 3}, r.forward(false, x), 0f);
        }
        try (LayerRun r = LayerRun.of(engine, new AvgPool1d(2, 2, "same"), new Shape(1, 5), 1)) {
            assertArrayEquals(new float[] {3, 5, 3}, r.forward(false, x), 1e-6f);
        }
        try (LayerRun r = LayerRun.of(engine, new AvgPool1d(3, 1, "valid"), new Shape(1, 5), 1)) {
            assertArrayEquals(new float[] {8 / 3f, 5, 13 / 3f}, r.forward(false, x), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void globalPoolsReduceEverySpatialAxis(String engine) {
        float[] x = {1, 2, 3, 4, 10, 20, 30, 40}; // two channels of 2x2
        try (LayerRun r = LayerRun.of(engine, new GlobalAvgPool(), new Shape(2, 2, 2), 1)) {
            assertArrayEquals(new float[] {2.5f, 25}, r.forward(false, x), 1e-6f);
            assertEquals(new Shape(1, 2), r.lastShape());
        }
        try (LayerRun r = LayerRun.of(engine, new GlobalMaxPool(), new Shape(2, 4), 1)) {
            assertArrayEquals(new float[] {4, 40}, r.forward(false, x), 0f);
        }
    }

    @Test
    void outputShapesAgreeWithTheRealBlockOverManySettings() {
        for (String pad : List.of("valid", "same")) {
            for (int k = 1; k <= 3; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int h = 3; h <= 7; h++) {
                        List<LayerSpec> specs = List.of(new MaxPool2d(List.of(k, 2), List.of(s, 1), pad),
                                new AvgPool2d(List.of(k, 2), List.of(s, 2), pad),
                                new MaxPool1d(k, s, pad), new AvgPool1d(k, s, pad));
                        for (LayerSpec p : specs) {
                            Shape in = p instanceof MaxPool1d || p instanceof AvgPool1d
                                    ? new Shape(2, h) : new Shape(2, h, 5);
                            try (LayerRun r = LayerRun.of("PyTorch", p, in, 2)) {
                                r.forward(false, new float[(int) (2 * in.size())]);
                                assertEquals(new Shape(2).addAll(p.outputShape(in)), r.lastShape(),
                                        p + " on " + in);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void stridesDefaultToThePoolSize() {
        assertEquals(List.of(3, 3), new MaxPool2d(List.of(3, 3), null, null).strides());
        assertEquals(new Shape(4, 3, 3), new MaxPool2d().outputShape(new Shape(4, 7, 7)));
        assertEquals(new Shape(4, 4, 4), new MaxPool2d(2, 2, "same").outputShape(new Shape(4, 7, 7)));
    }

    @Test
    void refusesWrongRanksAndTooSmallInputs() {
        var rank = assertThrows(ShapeException.class, () -> new MaxPool2d().outputShape(new Shape(3, 8)));
        assertEquals("expected (channels, height, width), got (3, 8)", rank.getMessage());
        var small = assertThrows(ShapeException.class,
                () -> new AvgPool1d(4, 1, "valid").outputShape(new Shape(2, 3)));
        assertTrue(small.getMessage().contains("too small"), small.getMessage());
        assertThrows(ShapeException.class, () -> new GlobalAvgPool().outputShape(new Shape(10)));
        var size = assertThrows(SpecException.class, () -> new MaxPool2d(0, 1, "valid"));
        assertTrue(size.getMessage().contains("received pool_size=[0, 0]"), size.getMessage());
        var pad = assertThrows(SpecException.class, () -> new AvgPool1d(2, 2, "SAME"));
        assertTrue(pad.getMessage().contains("Did you mean 'same'?"), pad.getMessage());
    }
}
