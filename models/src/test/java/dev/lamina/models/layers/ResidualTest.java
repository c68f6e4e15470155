package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNorm;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Flatten;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.LayerSpec;
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

class ResidualTest {
    // a 3×3 image holding 1..9, row by row
    static final float[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void identitySkipAddsTheInputThenAppliesRelu(String engine) {
        // F(x) = W·x + b with W = [[1, 2], [3, -4]], b = [0.5, -1]
        try (LayerRun r = LayerRun.of(engine, new Residual(new Dense(2)), new Shape(2), 2)) {
            assertEquals(List.of("01layer_0_01core_weight", "01layer_0_01core_bias"),
                    List.copyOf(r.parameters().keySet()), "no projection when F keeps the shape");
            r.set("01layer_0_01core_weight", 1, 2, 3, -4).set("01layer_0_01core_bias", 0.5f, -1);
            // x = [1, 1]: F = [3.5, -2], x + F = [4.5, -1] -> relu [4.5, 0]
            // x = [-1, 2]: F = [3.5, -12], x + F = [2.5, -10] -> relu [2.5, 0]
            assertArrayEquals(new float[] {4.5f, 0, 2.5f, 0}, r.forward(false, 1, 1, -1, 2), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void flatProjectionIsADenseLayerOnTheSkipPath(String engine) {
        Residual spec = new Residual(List.of(new Dense(3)), "linear", false);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(2), 1)) {
            assertEquals(List.of("01layer_0_01core_weight", "01layer_0_01core_bias",
                    "02projection_01core_weight", "02projection_01core_bias"),
                    List.copyOf(r.parameters().keySet()));
            // F: rows [1, 0], [0, 1], [1, 1], bias [0, 0, 1]; P: rows [2, 0], [0, -1], [1, -1], bias 0.5
            r.set("01layer_0_01core_weight", 1, 0, 0, 1, 1, 1).set("01layer_0_01core_bias", 0, 0, 1);
            r.set("02projection_01core_weight", 2, 0, 0, -1, 1, -1)
                    .set("02projection_01core_bias", 0.5f, 0.5f, 0.5f);
            // x = [3, 5]: F = [3, 5, 9], P·x = [6.5, -4.5, -1.5]; sum [9.5, 0.5, 7.5]
            assertArrayEquals(new float[] {9.5f, 0.5f, 7.5f}, r.forward(false, 3, 5), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void stridedConvolutionGetsAStridedOneByOneProjection(String engine) {
        // F: 2 filters of 2×2, stride 2, same on 3×3 -> (2, 2, 2), the extra zero pad at the end
        Residual spec = new Residual(new Conv2d(2, 2, 2, "same", "linear"));
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(1, 3, 3), 1)) {
            assertEquals(new Shape(2, 1, 1, 1), r.parameters().get("02projection_01core_weight"));
            // filter 0: all ones, bias 0 (window sums); filter 1: top-left only, bias 1
            r.set("01layer_0_01core_weight", 1, 1, 1, 1, 1, 0, 0, 0)
                    .set("01layer_0_01core_bias", 0, 1);
            // P: stride 2 picks x00 = 1, x02 = 3, x20 = 7, x22 = 9; weights [2, -2], bias [0, 0.5]
            r.set("02projection_01core_weight", 2, -2).set("02projection_01core_bias", 0, 0.5f);
            float[] y = r.forward(false, NINE);
            // filter 0: F = [12, 9, 15, 9], P = [2, 6, 14, 18] -> [14, 15, 29, 27]
            // filter 1: F = [2, 4, 8, 10], P = [-1.5, -5.5, -13.5, -17.5] -> [0.5, -1.5, -5.5, -7.5]
            assertArrayEquals(new float[] {14, 15, 29, 27, 0.5f, 0, 0, 0}, y, 1e-5f);
            assertEquals(new Shape(1, 2, 2, 2), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void preActivationNormalisesAndActivatesBeforeFAndNotAfterTheSum(String engine) {
        Residual spec = new Residual(List.of(new Dense(2)), "relu", true);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(2), 1)) {
            List<String> names = List.copyOf(r.parameters().keySet());
            assertEquals(List.of("01pre_norm_gamma", "01pre_norm_beta", "01pre_norm_moving_mean",
                    "01pre_norm_moving_variance", "02layer_0_01core_weight",
                    "02layer_0_01core_bias"), names, "batch norm first, no projection");
            r.set("02layer_0_01core_weight", 1, 2, 3, -4).set("02layer_0_01core_bias", 0.5f, -1);
            // inference at the initial statistics: BN(x) = x / sqrt(1 + 0.001)
            double s = 1 / Math.sqrt(1.001);
            // x = [1, -3]: h = relu(BN(x)) = [s, 0]; F(h) = [s + 0.5, 3s - 1]; y = x + F(h)
            float[] expected = {(float) (1 + s + 0.5), (float) (-3 + 3 * s - 1)};
            float[] y = r.forward(false, 1, -3);
            assertArrayEquals(expected, y, 1e-6f);
            assertTrue(y[1] < 0, "no activation after the sum");
        }
    }

    @Test
    void preActivationProjectsThePreActivatedInput() {
        Residual spec = new Residual(List.of(new Dense(1)), "relu", true);
        try (LayerRun r = LayerRun.of("PyTorch", spec, new Shape(2), 1)) {
            r.set("02layer_0_01core_weight", 0, 0).set("02layer_0_01core_bias", 0);
            r.set("03projection_01core_weight", 1, 1).set("03projection_01core_bias", 0);
            double s = 1 / Math.sqrt(1.001);
            // x = [2, -5]: relu(BN(x)) = [2s, 0]; F = 0; P·h = 2s
            assertArrayEquals(new float[] {(float) (2 * s)}, r.forward(false, 2, -5), 1e-6f);
        }
    }

    static List<LayerSpec> paritySpecs() {
        return List.of(
                new Residual(new Dense(4, "tanh"), new Dense(4)),
                new Residual(new Dense(5)),
                new Residual(new Conv2d(3, 3, 1, "same", "relu"), new Conv2d(3, 3, 1, "same", "linear")),
                new Residual(new Conv2d(4, 3, 2, "same", "relu"), new Conv2d(4, 3, 1, "same", "linear")),
                new Residual(List.of(new Conv2d(3, 3, 1, "same", "linear")), "relu", true),
                new Residual(List.of(new Conv2d(5, 3, 2, "same", "linear")), "elu", true));
    }

    static List<Shape> parityShapes() {
        return List.of(new Shape(4), new Shape(3), new Shape(3, 5, 5), new Shape(2, 5, 5),
                new Shape(3, 4, 4), new Shape(3, 5, 5));
    }

    @Test
    void enginesAgreeOnIdentityAndProjectionFlatAndConv() {
        List<LayerSpec> specs = paritySpecs();
        List<Shape> shapes = parityShapes();
        for (int i = 0; i < specs.size(); i++) {
            EngineParity.with().batch(3).check(specs.get(i), shapes.get(i)).assertOk();
            EngineParity.with().batch(3).training(true).check(specs.get(i), shapes.get(i))
                    .assertOk();
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        List<LayerSpec> specs = List.of(
                new Residual(List.of(new Conv2d(3, 3, 2, "same", "tanh")), "tanh", false),
                new Residual(new Dense(3, "tanh"), new Dense(3)),
                new Residual(List.of(new Dense(4, "tanh")), "tanh", true));
        List<Shape> shapes = List.of(new Shape(2, 5, 5), new Shape(3), new Shape(3));
        for (int i = 0; i < specs.size(); i++) {
            for (String engine : EngineParity.ENGINES) {
                for (boolean training : List.of(false, true)) {
                    var bad = EngineParity.with().batch(3).training(training)
                            .gradientCheck(engine, specs.get(i), shapes.get(i), 20, 1e-6);
                    assertTrue(bad.isEmpty(), bad.toString());
                }
            }
        }
    }

    @Test
    void configRoundTripWritesNestedLayersAsMaps() throws Exception {
        List<LayerSpec> specs = List.of(new Residual(new Dense(3)),
                new Residual(List.of(new Conv2d(4, 3, 2, "same", "relu"), new BatchNorm(),
                        new Conv2d(4, 3)), new Activation("leaky_relu", 0.1), true),
                new Residual(new Residual(new Dense(2)), new Flatten()));
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        for (LayerSpec spec : specs) {
            assertEquals(spec, LayerTypes.catalog().parse(dev.lamina.spec.ConfigNode.of(spec.toMap())));
            Object back = json.readValue(json.writeValueAsString(spec.toMap()), Map.class);
            assertEquals(spec, LayerTypes.catalog().parse(dev.lamina.spec.ConfigNode.of(back)));
        }
        Map<String, Object> cfg = new Residual(new Dense(3)).config();
        assertEquals(List.of(Map.of("dense", new Dense(3).config())), cfg.get("layers"));
        assertEquals("relu", cfg.get("activation"));
        assertEquals(false, cfg.get("pre_activation"));
    }

    @Test
    void bareNamesAndDefaultsParse() {
        LayerSpec s = LayerTypes.catalog().parse(Map.of("residual",
                Map.of("layers", List.of("flatten", Map.of("dense", Map.of("units", 4))))));
        assertEquals(new Residual(List.of(new Flatten(), new Dense(4)), "relu", false), s);
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        var empty = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("residual", Map.of("layers", List.of()))));
        assertTrue(empty.getMessage().contains("residual needs at least one layer in 'layers'"),
                empty.getMessage());
        var missing = assertThrows(ConfigException.class,
                () -> LayerTypes.catalog().parse(Map.of("residual", Map.of())));
        assertTrue(missing.getMessage().contains("residual needs at least one layer in 'layers'"),
                missing.getMessage());
        var java = assertThrows(SpecException.class, () -> new Residual(List.of(), "relu", false));
        assertTrue(java.getMessage().contains("received layers=[]"), java.getMessage());
        var unknown = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("residual", Map.of("layers", List.of(Map.of("desne", Map.of("units", 2)))))));
        assertTrue(unknown.getMessage().contains("unknown layer type 'desne'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("Did you mean 'dense'?"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("residual.layers[0]"), unknown.getMessage());
        var nested = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("residual", Map.of("layers", List.of(Map.of("dense", Map.of("units", 0)))))));
        assertTrue(nested.getMessage().contains("received units=0"), nested.getMessage());
        var notList = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("residual", Map.of("layers", "dense"))));
        assertTrue(notList.getMessage().contains("expected a list"), notList.getMessage());
        var key = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("residual", Map.of("layers", List.of("flatten"), "preactivation", true))));
        assertTrue(key.getMessage().contains("Did you mean 'pre_activation'?"), key.getMessage());
        var act = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("residual", Map.of("layers", List.of("flatten"), "activation", "rellu"))));
        assertTrue(act.getMessage().contains("Did you mean 'relu'?"), act.getMessage());
    }

    @Test
    void shapeErrorsNameTheInnerLayer() {
        Residual r = new Residual(new Dense(3), new Conv2d(2, 3));
        var e = assertThrows(ShapeException.class, () -> r.outputShape(new Shape(4)));
        assertTrue(e.getMessage().startsWith("residual layers[1] (conv2d): cannot take input of"
                + " shape (None, 3): expected (channels, height, width)"), e.getMessage());
        // a valid 3×3 turns 8 into 6: no strided 1×1 projection gives 6
        var p = assertThrows(ShapeException.class,
                () -> new Residual(new Conv2d(4, 3)).outputShape(new Shape(2, 8, 8)));
        assertTrue(p.getMessage().contains("height 8 into ceil(8 / s), never 6"), p.getMessage());
        assertTrue(p.getMessage().contains("padding 'same'"), p.getMessage());
        var flat = assertThrows(ShapeException.class,
                () -> new Residual(new Flatten()).outputShape(new Shape(2, 3, 3)));
        assertTrue(flat.getMessage().contains("from (None, 2, 3, 3) to (None, 18)"),
                flat.getMessage());
        var seq = assertThrows(ShapeException.class, () -> new dev.lamina.Sequential("s")
                .input(4).add(new Dense(3)).add(new Residual(new Conv2d(2, 3))));
        assertTrue(seq.getMessage().startsWith("layer 1 'residual' (residual) cannot take input of"
                + " shape (None, 3): residual layers[0] (conv2d)"), seq.getMessage());
    }

    @Test
    void shapesAndProjections() {
        assertEquals(new Shape(8, 4, 4), new Residual(new Conv2d(8, 3, 2, "same", "relu"))
                .outputShape(new Shape(3, 7, 7)));
        assertEquals(new Conv2d(8, List.of(1, 1), List.of(2, 2), "valid", null, null, true, null,
                null, null, null), Residual.projection(new Shape(3, 7, 7), new Shape(8, 4, 4)));
        assertEquals(null, Residual.projection(new Shape(3, 7, 7), new Shape(3, 7, 7)));
        assertEquals(new Dense(6), Residual.projection(new Shape(5, 4), new Shape(5, 6)));
        try (LayerRun r = LayerRun.of("MXNet", new Residual(new Conv2d(8, 3, 3, "same", "relu")),
                new Shape(3, 7, 7), 2)) {
            assertEquals(new Shape(8, 3, 1, 1), r.parameters().get("02projection_01core_weight"));
            r.forward(false, new float[2 * 3 * 7 * 7]);
            assertEquals(new Shape(2, 8, 3, 3), r.lastShape());
        }
    }

    @Test
    void float64ForwardWorks() {
        EngineParity.with().dtype(DataType.FLOAT64).tolerance(1e-10, 1e-10)
                .check(new Residual(new Dense(3, "tanh")), new Shape(3)).assertOk();
    }
}
