package dev.lamina.layers;

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

class Conv2dTest {
    static final float[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void validConvolutionMatchesAHandComputation(String engine) {
        // kernel [[1, 0], [0, 1]], bias 0.5: each output is x[i][j] + x[i+1][j+1] + 0.5
        try (LayerRun r = LayerRun.of(engine, new Conv2d(1, 2), new Shape(1, 3, 3), 1)) {
            r.set("01core_weight", 1, 0, 0, 1).set("01core_bias", 0.5f);
            assertArrayEquals(new float[] {6.5f, 8.5f, 12.5f, 14.5f}, r.forward(false, NINE), 1e-6f);
            assertEquals(new Shape(1, 1, 2, 2), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sameWithAnOddPadPutsTheExtraZeroAtTheEnd(String engine) {
        // k=2 on 3x3: total pad 1 per axis, all of it after (Keras/TensorFlow), none before
        try (LayerRun r = LayerRun.of(engine, new Conv2d(1, 2, 1, "same", "linear"),
                new Shape(1, 3, 3), 1)) {
            r.set("01core_weight", 1, 0, 0, 1).set("01core_bias", 0.5f);
            float[] expected = {6.5f, 8.5f, 3.5f, 12.5f, 14.5f, 6.5f, 7.5f, 8.5f, 9.5f};
            assertArrayEquals(expected, r.forward(false, NINE), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sameWithStrideTwoOnFourByFour(String engine) {
        // k=3, stride 2 on 4x4: out 2x2, total pad 1 (after); all-ones kernel sums each window
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        try (LayerRun r = LayerRun.of(engine, new Conv2d(1, 3, 2, "same", "linear"),
                new Shape(1, 4, 4), 1)) {
            r.set("01core_weight", 1, 1, 1, 1, 1, 1, 1, 1, 1).set("01core_bias", 0);
            assertArrayEquals(new float[] {54, 45, 72, 54}, r.forward(false, x), 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sameWithAnEvenPadUsesTheConvolutionsOwnPadding(String engine) {
        // k=3 on 3x3: one zero on each side; centre tap only gives the input back
        try (LayerRun r = LayerRun.of(engine, new Conv2d(1, 3, 1, "same", "relu"),
                new Shape(1, 3, 3), 1)) {
            r.set("01core_weight", 0, 0, 0, 0, 1, 0, 0, 0, 0).set("01core_bias", -2);
            assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4, 5, 6, 7}, r.forward(false, NINE), 1e-6f);
        }
    }

    @Test
    void outputShapesAgreeWithTheRealBlockOverManySettings() {
        for (String pad : List.of("valid", "same")) {
            for (int k = 1; k <= 3; k++) {
                for (int s = 1; s <= 3; s++) {
                    for (int d = 1; d <= (s == 1 ? 2 : 1); d++) {
                        for (int h = 5; h <= 8; h++) {
                            Conv2d c = new Conv2d(2, List.of(k, 2), List.of(s, 1), pad,
                                    List.of(d, 1), null, true, null, null, null, null);
                            Shape in = new Shape(1, h, 6);
                            try (LayerRun r = LayerRun.of("PyTorch", c, in, 2)) {
                                r.forward(false, new float[(int) (2 * in.size())]);
                                assertEquals(new Shape(2).addAll(c.outputShape(in)), r.lastShape(),
                                        c + " on " + in);
                                assertEquals(r.lastShape(), r.block().getOutputShapes(
                                        new Shape[] {new Shape(2).addAll(in)})[0], c + " on " + in);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (Conv2d c : List.of(new Conv2d(2, 3, 2, "same", "tanh"), new Conv2d(2, 2, 1, "same",
                "linear").withDilation(2), new Conv2d(3, 2))) {
            for (String engine : EngineParity.ENGINES) {
                var bad = EngineParity.with().gradientCheck(engine, c, new Shape(2, 5, 5), 25, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void refusesAFlatInputAndSaysWhatItNeeds() {
        var e = assertThrows(ShapeException.class, () -> new Conv2d(4, 3).outputShape(new Shape(784)));
        assertEquals("expected (channels, height, width), got (784)", e.getMessage());
    }

    @Test
    void refusesAnInputSmallerThanAValidWindow() {
        var e = assertThrows(ShapeException.class,
                () -> new Conv2d(4, 5).outputShape(new Shape(1, 3, 8)));
        assertTrue(e.getMessage().contains("too small") && e.getMessage().contains("(1, 3, 8)"),
                e.getMessage());
        // dilation widens the window: 3 taps at dilation 3 span 7
        assertThrows(ShapeException.class,
                () -> new Conv2d(4, 3).withDilation(3).outputShape(new Shape(1, 6, 6)));
        assertEquals(new Shape(4, 3, 8), new Conv2d(4, 5, 1, "same", "linear")
                .outputShape(new Shape(1, 3, 8)));
    }

    @Test
    void badSettingsNameTheSettingAndTheValue() {
        var zero = assertThrows(SpecException.class, () -> new Conv2d(4, 0));
        assertEquals("conv2d.kernel_size: expected 2 positive integers, received kernel_size=[0, 0]",
                zero.getMessage());
        var file = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("conv2d", Map.of("filters", 4, "kernel_size", 0))));
        assertTrue(file.getMessage().contains("kernel_size=[0, 0]"), file.getMessage());
        var typo = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("conv2d", Map.of("filters", 4, "kernel_size", 3, "padding", "smae"))));
        assertTrue(typo.getMessage().contains("received padding='smae'")
                && typo.getMessage().contains("Did you mean 'same'?"), typo.getMessage());
        var filters = assertThrows(SpecException.class, () -> new Conv2d(0, 3));
        assertTrue(filters.getMessage().contains("received filters=0"));
        var both = assertThrows(SpecException.class,
                () -> new Conv2d(4, 3, 2, "valid", "linear").withDilation(2));
        assertTrue(both.getMessage().contains("dilation_rate"), both.getMessage());
        var act = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("conv2d", Map.of("filters", 4, "kernel_size", 3, "activation", "rellu"))));
        assertTrue(act.getMessage().contains("Did you mean 'relu'?"), act.getMessage());
    }

    @Test
    void float64Works() {
        EngineParity.with().dtype(DataType.FLOAT64).tolerance(1e-12, 1e-10)
                .check(new Conv2d(2, 3, 2, "same", "linear"), new Shape(2, 5, 6)).assertOk();
    }
}
