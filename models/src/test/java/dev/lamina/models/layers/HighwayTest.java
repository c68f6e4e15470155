package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HighwayTest {
    static final float LN3 = (float) Math.log(3);

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void forwardMatchesAHandComputation(String engine) {
        // x = [1, -2, 3]; W_H x + b_H = [1, -2, 1 - 2 + 3 - 1] = [1, -2, 1], relu -> H = [1, 0, 1].
        // W_T = 0, b_T = [0, ln 3, -ln 3] -> T = [1/2, 3/4, 1/4].
        // y = H·T + x·(1 − T) = [0.5 + 0.5, 0 − 0.5, 0.25 + 2.25] = [1, −0.5, 2.5]
        try (LayerRun r = LayerRun.of(engine, new Highway(), new Shape(3), 1)) {
            assertEquals(List.of("h0_weight", "h0_bias", "t0_weight", "t0_bias"),
                    List.copyOf(r.parameters().keySet()));
            r.set("h0_weight", 1, 0, 0, 0, 1, 0, 1, 1, 1).set("h0_bias", 0, 0, -1)
                    .set("t0_weight", new float[9]).set("t0_bias", 0, LN3, -LN3);
            assertArrayEquals(new float[] {1, -0.5f, 2.5f}, r.forward(false, 1, -2, 3), 1e-6f);
            assertEquals(new Shape(1, 3), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void convolutionalForwardMatchesAHandComputation(String engine) {
        // one channel, 3x3 input 1..9; H = 3x3 box sum with zero padding (linear), T = 1/2:
        // y = (box + x) / 2
        float[] box = {12, 21, 16, 27, 45, 33, 24, 39, 28};
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] expected = new float[9];
        for (int i = 0; i < 9; i++) {
            expected[i] = (box[i] + x[i]) / 2;
        }
        try (LayerRun r = LayerRun.of(engine, new HighwayConv2d(3, "linear", -2, 1),
                new Shape(1, 3, 3), 1)) {
            float[] ones = new float[9];
            java.util.Arrays.fill(ones, 1);
            r.set("h0_weight", ones).set("h0_bias", 0).set("t0_weight", new float[9])
                    .set("t0_bias", 0);
            assertArrayEquals(expected, r.forward(false, x), 1e-5f);
            assertEquals(new Shape(1, 1, 3, 3), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theTransformGateBiasStartsAtGateBiasInEveryLayer(String engine) {
        try (LayerRun r = LayerRun.of(engine, new Highway("tanh", -1.5, 3), new Shape(4), 2)) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(new float[] {-1.5f, -1.5f, -1.5f, -1.5f}, r.get("t" + i + "_bias"));
                assertArrayEquals(new float[4], r.get("h" + i + "_bias"));
            }
        }
        try (LayerRun r = LayerRun.of(engine, new HighwayConv2d(), new Shape(2, 4, 4), 1)) {
            assertArrayEquals(new float[] {-2, -2}, r.get("t0_bias"));
            assertEquals(new Shape(2, 2, 3, 3), r.parameters().get("t0_weight"));
        }
    }

    @Test
    void aStackOfThreeHasThreeTimesTheParametersOfOne() {
        long one = count(new Highway("relu", -2, 1), new Shape(5));
        assertEquals(2 * (5 * 5 + 5), one);
        assertEquals(3 * one, count(new Highway("relu", -2, 3), new Shape(5)));
        long conv = count(new HighwayConv2d(3, "relu", -2, 1), new Shape(2, 4, 4));
        assertEquals(2 * (2 * 2 * 9 + 2), conv);
        assertEquals(3 * conv, count(new HighwayConv2d(3, "relu", -2, 3), new Shape(2, 4, 4)));
    }

    static long count(dev.lamina.spec.LayerSpec spec, Shape sample) {
        try (LayerRun r = LayerRun.of("PyTorch", spec, sample, 1)) {
            return r.parameters().values().stream().mapToLong(Shape::size).sum();
        }
    }

    @Test
    void bothEnginesAgreeOnOutputsAndGradients() {
        EngineParity.assertSame(new Highway(), new Shape(4));
        EngineParity.assertSame(new Highway("tanh", -1, 2), new Shape(3, 5));
        EngineParity.assertSame(new HighwayConv2d(), new Shape(2, 5, 4));
        EngineParity.assertSame(new HighwayConv2d(List.of(1, 3), null, -1, 2, null, null),
                new Shape(3, 4, 4));
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        for (String engine : EngineParity.ENGINES) {
            var dense = EngineParity.with().dtype(DataType.FLOAT64)
                    .gradientCheck(engine, new Highway("tanh", -1, 2), new Shape(4), 20, 1e-6);
            assertTrue(dense.isEmpty(), dense.toString());
            var conv = EngineParity.with().dtype(DataType.FLOAT64).gradientCheck(engine,
                    new HighwayConv2d(3, "sigmoid", -1, 2), new Shape(2, 4, 4), 20, 1e-6);
            assertTrue(conv.isEmpty(), conv.toString());
        }
    }

    @Test
    void configParsesBackToAnEqualSpec() {
        for (var spec : List.of(new Highway(), new Highway("tanh", -3, 4),
                new Highway(new dev.lamina.layers.Activation("leaky_relu", 0.1), 0.5, 2,
                        dev.lamina.initializers.Initializers.heNormal(),
                        dev.lamina.initializers.Initializers.constant(0.1)),
                new HighwayConv2d(), new HighwayConv2d(5, "elu", -1, 3))) {
            assertEquals(spec, LayerTypes.catalog().parse(dev.lamina.spec.ConfigNode.of(spec.toMap())));
        }
        assertEquals(new Highway(), LayerTypes.catalog().parse("highway"));
        assertEquals(new HighwayConv2d(), LayerTypes.catalog().parse("highway_conv2d"));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        var layers = assertThrows(SpecException.class, () -> new Highway("relu", -2, 0));
        assertEquals("highway.layers: expected a positive integer, received layers=0",
                layers.getMessage());
        var gate = assertThrows(SpecException.class, () -> new Highway("relu", Double.NaN, 1));
        assertTrue(gate.getMessage().startsWith("highway.gate_bias: expected a finite number"),
                gate.getMessage());
        var even = assertThrows(SpecException.class, () -> new HighwayConv2d(2, "relu", -2, 1));
        assertTrue(even.getMessage().startsWith("highway_conv2d.kernel_size: expected 2 positive"
                + " odd integers"), even.getMessage());
        var valid = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("highway_conv2d", Map.of("padding", "valid"))));
        assertTrue(valid.getMessage().contains("padding") && valid.getMessage().contains("'same'"),
                valid.getMessage());
        var unknown = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("highway", Map.of("gate_bais", -1))));
        assertTrue(unknown.getMessage().contains("gate_bias"), unknown.getMessage());
    }

    @Test
    void shapesAreChecked() {
        assertEquals(new Shape(7), new Highway().outputShape(new Shape(7)));
        assertEquals(new Shape(3, 8, 8), new HighwayConv2d().outputShape(new Shape(3, 8, 8)));
        var e = assertThrows(ShapeException.class,
                () -> new HighwayConv2d().outputShape(new Shape(64)));
        assertTrue(e.getMessage().contains("(channels, height, width)"), e.getMessage());
    }
}
