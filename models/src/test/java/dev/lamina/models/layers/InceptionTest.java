package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.layers.Activation;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
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

class InceptionTest {
    static long count(LayerRun r) {
        return r.parameters().values().stream().mapToLong(Shape::size).sum();
    }

    @Test
    void googLeNet3aShapeAndParameterCount() {
        Inception spec = new Inception();
        assertEquals(new Shape(256, 28, 28), spec.outputShape(new Shape(192, 28, 28)));
        try (LayerRun r = LayerRun.of("PyTorch", spec, new Shape(192, 28, 28), 1)) {
            // per convolution k·k·in·out + out
            long expected = (192 * 64 + 64) // 1×1
                    + (192 * 96 + 96) + (9 * 96 * 128 + 128) // 1×1 reduce, 3×3
                    + (192 * 16 + 16) + (25 * 16 * 32 + 32) // 1×1 reduce, 5×5
                    + (192 * 32 + 32); // pool projection
            assertEquals(163_696, expected);
            assertEquals(expected, count(r));
            r.forward(false, new float[192 * 28 * 28]);
            assertEquals(new Shape(1, 256, 28, 28), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void emptySettingsGiveInception3aOnASmallInput(String engine) {
        LayerSpec spec = LayerTypes.catalog().parse(ConfigNode.of(Map.of("inception", Map.of())));
        assertEquals(new Inception(64, 96, 128, 16, 32, 32), spec);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(16, 5, 7), 2)) {
            long expected = (16 * 64 + 64) + (16 * 96 + 96) + (9 * 96 * 128 + 128)
                    + (16 * 16 + 16) + (25 * 16 * 32 + 32) + (16 * 32 + 32);
            assertEquals(127_088, expected);
            assertEquals(expected, count(r));
            r.forward(false, new float[2 * 16 * 5 * 7]);
            assertEquals(new Shape(2, 256, 5, 7), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void pathsAreConcatenatedInOrderOnAHandComputation(String engine) {
        // one filter per convolution, relu, on a 2×2 image [[1, 2], [3, 4]]
        try (LayerRun r = LayerRun.of(engine, new Inception(1, 1, 1, 1, 1, 1), new Shape(1, 2, 2),
                1)) {
            Map<String, Shape> p = r.parameters();
            assertEquals(12, p.size(), p.toString());
            List<String> names = List.copyOf(p.keySet());
            // path 1: 1×1 weight 2 -> 2x
            r.set(names.get(0), 2).set(names.get(1), 0);
            // path 2: 1×1 weight 1 -> x, then a 3×3 of ones (same) -> the sum of the image, 10
            r.set(names.get(2), 1).set(names.get(3), 0);
            r.set(names.get(4), 1, 1, 1, 1, 1, 1, 1, 1, 1).set(names.get(5), 0);
            // path 3: 1×1 weight 1 bias 1 -> x + 1, then a 5×5 with only its centre -> x + 1
            r.set(names.get(6), 1).set(names.get(7), 1);
            float[] centre = new float[25];
            centre[12] = 1;
            r.set(names.get(8), centre).set(names.get(9), 0);
            // path 4: 3×3 max pool (same) sees the whole image -> 4; 1×1 weight −1 bias 0.5 -> −3.5,
            // relu -> 0
            r.set(names.get(10), -1).set(names.get(11), 0.5f);
            float[] y = r.forward(false, 1, 2, 3, 4);
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 10, 10, 10, 2, 3, 4, 5, 0, 0, 0, 0}, y,
                    1e-5f);
            assertEquals(new Shape(1, 4, 2, 2), r.lastShape());
        }
    }

    @Test
    void enginesAgree() {
        EngineParity.with().batch(2).check(new Inception(2, 2, 3, 1, 2, 2), new Shape(3, 6, 6))
                .assertOk();
        EngineParity.with().batch(2).training(true)
                .check(new Inception(3, 2, 2, 2, 1, 1, new Activation("tanh")), new Shape(2, 5, 4))
                .assertOk();
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (LayerSpec spec : List.of(new Inception(2, 2, 3, 1, 2, 2),
                new Inception(2, 1, 2, 1, 2, 1, new Activation("tanh")))) {
            for (String engine : EngineParity.ENGINES) {
                var bad = EngineParity.with().batch(2).gradientCheck(engine, spec,
                        new Shape(2, 5, 5), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void configRoundTrip() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        for (LayerSpec spec : List.of(new Inception(), new Inception(1, 2, 3, 4, 5, 6,
                new Activation("leaky_relu", 0.2)))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
            Object back = json.readValue(json.writeValueAsString(spec.toMap()), Map.class);
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(back)));
        }
        assertEquals(List.of("filters_1x1", "filters_3x3_reduce", "filters_3x3",
                "filters_5x5_reduce", "filters_5x5", "pool_proj", "activation"),
                List.copyOf(new Inception().config().keySet()));
    }

    @Test
    void badSettingsAndShapesAreRefused() {
        var zero = assertThrows(SpecException.class, () -> new Inception(0, 1, 1, 1, 1, 1));
        assertTrue(zero.getMessage().contains("received filters_1x1=0"), zero.getMessage());
        var yaml = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("inception", Map.of("pool_proj", -2))));
        assertTrue(yaml.getMessage().contains("received pool_proj=-2"), yaml.getMessage());
        var key = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("inception", Map.of("filters_3x3_reduc", 8))));
        assertTrue(key.getMessage().contains("Did you mean 'filters_3x3_reduce'?"),
                key.getMessage());
        var flat = assertThrows(ShapeException.class, () -> new Inception().outputShape(new Shape(10)));
        assertTrue(flat.getMessage().contains("expected (channels, height, width), got (10)"),
                flat.getMessage());
    }
}
