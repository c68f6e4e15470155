package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.layers.Activation;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
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

class ConvTransposeTest {
    static final String W = "01core_weight";
    static final String B = "01core_bias";

    /** One channel in and out, kernel [1, 10, 100] (or its first taps), on x = [1, 2, 3]. */
    static float[] oneD(String engine, Conv1dTranspose layer, float... kernel) {
        try (LayerRun r = LayerRun.of(engine, layer, new Shape(1, 3), 1)) {
            r.set(W, kernel).set(B, 0);
            float[] y = r.forward(false, 1, 2, 3);
            assertEquals(new Shape(1).addAll(layer.outputShape(new Shape(1, 3))), r.lastShape());
            return y;
        }
    }

    static Conv1dTranspose t1(int k, int s, String padding, Integer outputPadding, int d) {
        return new Conv1dTranspose(1, List.of(k), List.of(s), padding,
                outputPadding == null ? null : List.of(outputPadding), List.of(d), null, true, null,
                null, null, null);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void oneDimensionalCasesMatchHandComputations(String engine) {
        // output o receives x[i]·w[t] where o = i·s + t·d − p; the full (valid, s 2) result of
        // [1, 2, 3] and [1, 10, 100] is [1, 10, 100 + 2, 20, 200 + 3, 30, 300]
        assertArrayEquals(new float[] {1, 10, 102, 20, 203, 30, 300},
                oneD(engine, t1(3, 2, "valid", null, 1), 1, 10, 100), 1e-4f);
        // same, s 2: length 6, p = max(2·2 + 3 − 6, 0) // 2 = 0: the first six
        assertArrayEquals(new float[] {1, 10, 102, 20, 203, 30},
                oneD(engine, t1(3, 2, "same", null, 1), 1, 10, 100), 1e-4f);
        // same, s 1: length 3, p = 1: [x0·w1 + x1·w0, x0·w2 + x1·w1 + x2·w0, x1·w2 + x2·w1]
        assertArrayEquals(new float[] {12, 123, 230},
                oneD(engine, t1(3, 1, "same", null, 1), 1, 10, 100), 1e-4f);
        // same, s 2, output_padding 0: length (3 − 1)·2 + 3 − 2 + 0 = 5, p = 1: drops the first
        assertArrayEquals(new float[] {10, 102, 20, 203, 30},
                oneD(engine, t1(3, 2, "same", 0, 1), 1, 10, 100), 1e-4f);
        // same, s 2, output_padding 1: length 6, p = 0
        assertArrayEquals(new float[] {1, 10, 102, 20, 203, 30},
                oneD(engine, t1(3, 2, "same", 1, 1), 1, 10, 100), 1e-4f);
        // valid, s 2, output_padding 1: length 2·2 + 3 + 1 = 8, a zero at the end
        assertArrayEquals(new float[] {1, 10, 102, 20, 203, 30, 300, 0},
                oneD(engine, t1(3, 2, "valid", 1, 1), 1, 10, 100), 1e-4f);
        // valid, dilation 2: K = 5, length 7, o = i + 2t
        assertArrayEquals(new float[] {1, 2, 13, 20, 130, 200, 300},
                oneD(engine, t1(3, 1, "valid", null, 2), 1, 10, 100), 1e-4f);
        // kernel 2 below stride 3, valid: length 3·3 + 0 = 9, gaps of zeros
        assertArrayEquals(new float[] {1, 10, 0, 2, 20, 0, 3, 30, 0},
                oneD(engine, t1(2, 3, "valid", null, 1), 1, 10), 1e-4f);
        // same, even kernel 2, s 1: length 3, p = (2 + 2 − 3) // 2 = 0: o = i + t
        assertArrayEquals(new float[] {1, 12, 23},
                oneD(engine, t1(2, 1, "same", null, 1), 1, 10), 1e-4f);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void twoDimensionalStrideTwoPlacesEachPixelsKernelInItsOwnBlock(String engine) {
        // kernel 2x2 with stride 2, valid: y[2i + a][2j + b] = x[i][j]·w[a][b], plus the bias
        try (LayerRun r = LayerRun.of(engine, new Conv2dTranspose(1, 2, 2, "valid", "linear"),
                new Shape(1, 2, 2), 1)) {
            assertEquals(Map.of(W, new Shape(1, 1, 2, 2), B, new Shape(1)), r.parameters());
            r.set(W, 1, 10, 100, 1000).set(B, 0.5f);
            float[] y = r.forward(false, 1, 2, 3, 4);
            assertArrayEquals(new float[] {1, 10, 2, 20, 100, 1000, 200, 2000, 3, 30, 4, 40, 300,
                3000, 400, 4000}, minus(y, 0.5f), 1e-3f);
            assertEquals(new Shape(1, 1, 4, 4), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theWeightIsInputChannelsByFilters(String engine) {
        // 1x1 kernel: y[f] = Σ_c x[c]·w[c][f]; w = [[1, 2, 3], [10, 20, 30]] (2 in, 3 filters),
        // one pixel x = [1, 2]: y = [21, 42, 63]; relu after a bias of −50: [0, 0, 13]
        try (LayerRun r = LayerRun.of(engine, new Conv2dTranspose(3, 1, 1, "valid", "relu"),
                new Shape(2, 1, 1), 1)) {
            assertEquals(new Shape(2, 3, 1, 1), r.parameters().get(W));
            r.set(W, 1, 2, 3, 10, 20, 30).set(B, -50, -50, -50);
            assertArrayEquals(new float[] {0, 0, 13}, r.forward(false, 1, 2), 1e-4f);
        }
    }

    /**
     * Keras's output lengths (keras.src.utils.conv_utils.deconv_output_length) for every padding,
     * stride, output padding and dilation case: {in, k, s, padding (0 valid, 1 same), output
     * padding (−1 none), dilation, Keras's length}.
     */
    static final int[][] KERAS_LENGTHS = {
        {5, 3, 1, 0, -1, 1, 7}, {5, 3, 1, 1, -1, 1, 5}, {5, 3, 2, 0, -1, 1, 11},
        {5, 3, 2, 1, -1, 1, 10}, {5, 4, 2, 0, -1, 1, 12}, {5, 4, 2, 1, -1, 1, 10},
        {5, 2, 3, 0, -1, 1, 15}, {5, 2, 3, 1, -1, 1, 15}, {5, 3, 2, 0, 1, 1, 12},
        {5, 3, 2, 1, 1, 1, 10}, {5, 3, 2, 1, 0, 1, 9}, {5, 4, 2, 1, 0, 1, 8},
        {5, 4, 2, 1, 1, 1, 9}, {5, 3, 3, 0, 2, 1, 17}, {5, 3, 1, 0, -1, 2, 9},
        {5, 3, 1, 1, -1, 2, 5}, {5, 3, 1, 1, 0, 2, 5}, {7, 5, 2, 1, -1, 1, 14},
        {4, 4, 2, 1, -1, 1, 8}, {1, 1, 1, 1, -1, 1, 1},
    };

    @Test
    void outputLengthsAreKerasesInEveryCase() {
        for (int[] c : KERAS_LENGTHS) {
            Integer op = c[4] < 0 ? null : c[4];
            Conv1dTranspose t = t1(c[1], c[2], c[3] == 1 ? "same" : "valid", op, c[5]);
            assertEquals(new Shape(1, c[6]), t.outputShape(new Shape(2, c[0])),
                    java.util.Arrays.toString(c));
        }
        Conv2dTranspose two = new Conv2dTranspose(8, List.of(3, 4), List.of(2, 1), "same",
                List.of(1, 0), null, null, true, null, null, null, null);
        // height (5 − 1)·2 + 3 − 2 + 1 = 10, width (6 − 1) + 4 − 4 + 0 = 5
        assertEquals(new Shape(8, 10, 5), two.outputShape(new Shape(3, 5, 6)));
    }

    @Test
    void everyCaseHasTheSameNumbersAndGradientsOnBothEnginesAndItsDeclaredShape() {
        // EngineParity fails when the real output shape is not the one outputShape() declares
        for (int[] c : KERAS_LENGTHS) {
            Integer op = c[4] < 0 ? null : c[4];
            var t = new Conv1dTranspose(3, List.of(c[1]), List.of(c[2]), c[3] == 1 ? "same" : "valid",
                    op == null ? null : List.of(op), List.of(c[5]), null, true, null, null, null, null);
            EngineParity.with().check(t, new Shape(2, c[0])).assertOk();
        }
        EngineParity.assertSame(new Conv2dTranspose(4, 4, 2, "same", "relu"), new Shape(3, 5, 4));
        EngineParity.assertSame(new Conv2dTranspose(2, List.of(3, 2), List.of(2, 3), "valid",
                List.of(1, 2), null, null, false, null, null, null, null), new Shape(17, 3, 4));
        EngineParity.assertSame(new Conv2dTranspose(18, 3, 1, "same", "linear").withDilation(2),
                new Shape(2, 4, 5));
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        for (String engine : EngineParity.ENGINES) {
            for (var spec : List.of(new Conv2dTranspose(2, 3, 2, "same", "tanh"),
                    new Conv2dTranspose(3, 2, 2, "valid", "linear").withOutputPadding(1),
                    t1(3, 1, "valid", null, 2), t1(4, 3, "same", 2, 1))) {
                Shape in = spec instanceof Conv2dTranspose ? new Shape(2, 3, 3) : new Shape(1, 4);
                var bad = EngineParity.with().gradientCheck(engine, spec, in, 20, 1e-6);
                assertTrue(bad.isEmpty(), engine + " " + spec + ": " + bad);
            }
        }
    }

    @Test
    void summaryCountsKerasesParameters() {
        try (Sequential m = new Sequential("g").input(16)) {
            m.add(new dev.lamina.layers.Reshape(List.of(4, 2, 2)))
                    .add(new Conv2dTranspose(8, 4, 2, "same", "relu"))
                    .add(new Conv2dTranspose(1, 3, 1, "same", "sigmoid"));
            // 4·8·4·4 + 8 = 520, 8·1·3·3 + 1 = 73
            assertEquals(593, m.countParameters());
            String s = m.summary();
            assertTrue(s.contains("conv2d_transpose") && s.contains("(None, 8, 4, 4)")
                    && s.contains("(None, 1, 4, 4)"), s);
        }
    }

    @Test
    void configParsesBackToAnEqualSpec() {
        for (var spec : List.of(new Conv2dTranspose(16, 4, 2, "same", "relu"),
                new Conv2dTranspose(3, List.of(3, 5), List.of(2, 3), "valid", List.of(1, 2),
                        null, new Activation("tanh"), false,
                        dev.lamina.initializers.Initializers.heUniform(), null,
                        dev.lamina.regularizers.L1L2.l2(0.01), null),
                new Conv1dTranspose(4, 3, 1, "valid", "linear").withDilation(2),
                new Conv1dTranspose(4, 3, 2, "same", "linear").withOutputPadding(1))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        assertEquals(new Conv2dTranspose(8, 4, 2, "same", "relu"), LayerTypes.catalog().parse(
                Map.of("conv2d_transpose", Map.of("filters", 8, "kernel_size", 4, "strides", 2,
                        "padding", "same", "activation", "relu"))));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        var op = assertThrows(SpecException.class,
                () -> new Conv2dTranspose(4, 3, 2, "same", "relu").withOutputPadding(2));
        assertEquals("conv2d_transpose.output_padding: expected each value below the stride of"
                + " its axis (strides=[2, 2]), received output_padding=[2, 2]", op.getMessage());
        var both = assertThrows(SpecException.class,
                () -> new Conv1dTranspose(4, 3, 2, "same", "relu").withDilation(2));
        assertEquals("conv1d_transpose.dilation_rate: expected strides=1 when dilation_rate>1"
                + " (Keras allows only one of them), received strides=2, dilation_rate=2",
                both.getMessage());
        var filters = assertThrows(SpecException.class,
                () -> new Conv2dTranspose(0, 3, 1, "same", "relu"));
        assertEquals("conv2d_transpose.filters: expected a positive integer, received filters=0",
                filters.getMessage());
        var pad = assertThrows(SpecException.class,
                () -> new Conv2dTranspose(2, 3, 1, "full", "relu"));
        assertEquals("conv2d_transpose.padding: expected 'valid' or 'same', received"
                + " padding='full'", pad.getMessage());
        var yaml = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("conv2d_transpose", Map.of("filters", 8, "kernel_size", 3, "strides", 0))));
        assertTrue(yaml.getMessage().contains("strides: expected 2 positive integers, received"
                + " strides=[0, 0]"), yaml.getMessage());
        var rank = assertThrows(ShapeException.class,
                () -> new Conv2dTranspose(2, 3, 1, "same", "relu").outputShape(new Shape(1, 28)));
        assertEquals("expected (channels, height, width) with known positive sizes, got (1, 28)",
                rank.getMessage());
        var empty = assertThrows(ShapeException.class,
                () -> t1(2, 2, "same", 0, 1).outputShape(new Shape(1, 1)));
        assertTrue(empty.getMessage().contains("gives an empty output along axis 1 (length 0)"),
                empty.getMessage());
    }

    private static float[] minus(float[] y, float b) {
        float[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] -= b;
        }
        return out;
    }
}
