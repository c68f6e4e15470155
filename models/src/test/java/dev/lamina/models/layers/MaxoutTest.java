package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.layers.Dense;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaxoutTest {
    static final String W = "01affine_01core_weight";
    static final String B = "01affine_01core_bias";
    static final String CW = "01conv_01core_weight";
    static final String CB = "01conv_01core_bias";

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void forwardIsTheMaximumOfThePieces(String engine) {
        // one unit, three pieces: x1 + 1, x2, -x3 -> x = [1, 5, -7] gives max(2, 5, 7) = 7;
        // x = [4, -1, 2] gives max(5, -1, -2) = 5
        try (LayerRun r = LayerRun.of(engine, new Maxout(1, 3), new Shape(3), 2)) {
            assertEquals(Map.of(W, new Shape(3, 3), B, new Shape(3)), r.parameters());
            r.set(W, 1, 0, 0, 0, 1, 0, 0, 0, -1).set(B, 1, 0, 0);
            assertArrayEquals(new float[] {7, 5}, r.forward(false, 1, 5, -7, 4, -1, 2), 1e-6f);
            assertEquals(new Shape(2, 1), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void reluIsTwoPiecesWithOneFixedAtZero(String engine) {
        float[] w = {0.5f, -1, 2, 1, 0.25f, -0.75f};
        float[] b = {0.1f, -0.2f};
        float[] x = new float[8 * 3];
        Random rnd = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] relu;
        try (LayerRun d = LayerRun.of(engine, new Dense(2, "relu"), new Shape(3), 8)) {
            d.set("01core_weight", w).set("01core_bias", b);
            relu = d.forward(false, x);
        }
        try (LayerRun m = LayerRun.of(engine, new Maxout(2, 2), new Shape(3), 8)) {
            float[] pieces = new float[12]; // piece 0 (rows 0-1) = the dense layer, piece 1 = 0
            System.arraycopy(w, 0, pieces, 0, 6);
            m.set(W, pieces).set(B, b[0], b[1], 0, 0);
            assertArrayEquals(relu, m.forward(false, x), 1e-6f);
        }
        assertTrue(java.util.stream.IntStream.range(0, relu.length).anyMatch(i -> relu[i] == 0)
                && java.util.stream.IntStream.range(0, relu.length).anyMatch(i -> relu[i] > 0),
                "the inputs reach both sides of the hinge");
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void convolutionalMaxoutTakesTheMaximumOverEachFiltersChannels(String engine) {
        // 1x1 kernel, one filter, pieces x and -x: |x|
        try (LayerRun r = LayerRun.of(engine, new MaxoutConv2d(1, 2, 1, 1, "valid"),
                new Shape(1, 2, 2), 1)) {
            r.set(CW, 1, -1).set(CB, 0, 0);
            assertArrayEquals(new float[] {1, 2, 3, 4}, r.forward(false, 1, -2, 3, -4), 1e-6f);
            assertEquals(new Shape(1, 1, 2, 2), r.lastShape());
        }
        // 2x2 kernel on 3x3, two filters of two pieces: channels 0, 1 = pieces 0 of filters 0, 1,
        // channels 2, 3 = pieces 1. Filter 0: max(sum of window, -sum of window) = |sum|;
        // filter 1: max(top-left, bias 10) = 10 everywhere below 10
        try (LayerRun r = LayerRun.of(engine, new MaxoutConv2d(2, 2, 2, 1, "valid"),
                new Shape(1, 3, 3), 1)) {
            r.set(CW, 1, 1, 1, 1, 1, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 0).set(CB, 0, 0, 0, 10);
            float[] y = r.forward(false, 1, 2, 3, 4, 5, 6, 7, 8, -90);
            assertArrayEquals(new float[] {12, 16, 24, 71, 10, 10, 10, 10}, y, 1e-5f);
            assertEquals(new Shape(1, 2, 2, 2), r.lastShape());
        }
    }

    @Test
    void outputShapesAgreeWithTheBlock() {
        assertEquals(new Shape(5), new Maxout(5, 3).outputShape(new Shape(7)));
        assertEquals(new Shape(4, 5), new Maxout(5, 3).outputShape(new Shape(4, 7)));
        assertEquals(new Shape(4, 3, 3), new MaxoutConv2d(4, 3, 3, 2, "same")
                .outputShape(new Shape(2, 5, 5)));
        assertEquals(new Shape(4, 2, 2), new MaxoutConv2d(4, 3, 3, 2, "valid")
                .outputShape(new Shape(2, 5, 5)));
        // EngineParity fails when outputShape() and the real output disagree
        EngineParity.assertSame(new Maxout(5, 3), new Shape(7));
        EngineParity.assertSame(new Maxout(2, 2), new Shape(3, 4));
        EngineParity.assertSame(new MaxoutConv2d(4, 3, 3, 2, "same"), new Shape(2, 5, 5));
        EngineParity.assertSame(new MaxoutConv2d(2, 2, List.of(2, 3), List.of(1, 1), "same",
                false, null, null, null, null), new Shape(3, 4, 5));
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        for (String engine : EngineParity.ENGINES) {
            var dense = EngineParity.with().gradientCheck(engine, new Maxout(3, 3), new Shape(4),
                    20, 1e-6);
            assertTrue(dense.isEmpty(), dense.toString());
            var conv = EngineParity.with().gradientCheck(engine,
                    new MaxoutConv2d(2, 2, 3, 1, "same"), new Shape(2, 4, 4), 20, 1e-6);
            assertTrue(conv.isEmpty(), conv.toString());
        }
    }

    @Test
    void configParsesBackToAnEqualSpec() {
        for (var spec : List.of(new Maxout(3, 2), new Maxout(8, 4, false,
                dev.lamina.initializers.Initializers.heUniform(), null,
                dev.lamina.regularizers.L1L2.l2(0.01), null),
                new MaxoutConv2d(16, 2, 3, 1, "valid"), new MaxoutConv2d(4, 3, List.of(3, 1),
                        List.of(2, 1), "same", true, null,
                        dev.lamina.initializers.Initializers.constant(0.5), null,
                        dev.lamina.regularizers.L1L2.l1(0.1)))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        assertEquals(new MaxoutConv2d(8, 2, 3, 1, "valid"), LayerTypes.catalog().parse(
                Map.of("maxout_conv2d", Map.of("filters", 8, "kernel_size", 3))));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        var one = assertThrows(SpecException.class, () -> new Maxout(3, 1));
        assertEquals("maxout.pieces: expected at least 2 pieces (one piece is an affine layer:"
                + " use dense), received pieces=1", one.getMessage());
        var units = assertThrows(SpecException.class, () -> new Maxout(0, 2));
        assertEquals("maxout.units: expected a positive integer, received units=0",
                units.getMessage());
        var conv = assertThrows(SpecException.class, () -> new MaxoutConv2d(4, 1, 3, 1, "same"));
        assertTrue(conv.getMessage().startsWith("maxout_conv2d.pieces: expected at least 2"),
                conv.getMessage());
        var pad = assertThrows(SpecException.class, () -> new MaxoutConv2d(4, 2, 3, 1, "sam"));
        assertTrue(pad.getMessage().startsWith("maxout_conv2d.padding: expected 'valid' or 'same'"),
                pad.getMessage());
        var stride = assertThrows(SpecException.class, () -> new MaxoutConv2d(4, 2, 3, 0, "same"));
        assertTrue(stride.getMessage().contains("received strides=[0, 0]"), stride.getMessage());
        var yaml = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("maxout", Map.of("units", 4, "pieces", 1))));
        assertTrue(yaml.getMessage().contains("expected at least 2"), yaml.getMessage());
        var small = assertThrows(ShapeException.class,
                () -> new MaxoutConv2d(4, 2, 5, 1, "valid").outputShape(new Shape(1, 3, 3)));
        assertTrue(small.getMessage().contains("too small"), small.getMessage());
    }
}
