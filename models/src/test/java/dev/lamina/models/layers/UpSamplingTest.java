package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
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

class UpSamplingTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void nearestRepeatsEachValue(String engine) {
        try (LayerRun r = LayerRun.of(engine, new UpSampling1d(3), new Shape(1, 3), 1)) {
            assertTrue(r.parameters().isEmpty());
            assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2, -3, -3, -3}, r.forward(false, 1, 2, -3),
                    0f);
            assertEquals(new Shape(1, 1, 9), r.lastShape());
        }
        // size (1, 2): rows kept, columns doubled; two channels stay apart
        try (LayerRun r = LayerRun.of(engine, new UpSampling2d(List.of(1, 2), "nearest"),
                new Shape(2, 2, 1), 1)) {
            assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 4, 4}, r.forward(false, 1, 2, 3, 4),
                    0f);
            assertEquals(new Shape(1, 2, 2, 2), r.lastShape());
        }
        try (LayerRun r = LayerRun.of(engine, new UpSampling2d(), new Shape(1, 2, 2), 1)) {
            assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                    r.forward(false, 1, 2, 3, 4), 0f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void bilinearUsesHalfPixelCentresAsKeras(String engine) {
        // factor 2, [0, 4]: outputs read the input at -0.25 (clamped to 0), 0.25, 0.75, 1.25
        // (clamped to 1): [0, 1, 3, 4]; rows likewise: row 1 = 0.75·row 0 + 0.25·row 1
        try (LayerRun r = LayerRun.of(engine, new UpSampling2d(2, "bilinear"), new Shape(1, 2, 2),
                1)) {
            assertArrayEquals(new float[] {0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12},
                    r.forward(false, 0, 4, 8, 12), 1e-5f);
        }
        // factor 3 on [0, 3]: positions -1/3, 0, 1/3, 2/3, 1, 4/3 -> [0, 0, 1, 2, 3, 3]
        try (LayerRun r = LayerRun.of(engine, new UpSampling2d(List.of(1, 3), "bilinear"),
                new Shape(1, 1, 2), 1)) {
            assertArrayEquals(new float[] {0, 0, 1, 2, 3, 3}, r.forward(false, 0, 3), 1e-5f);
        }
    }

    @Test
    void bothEnginesAgreeAndGradientsMatchCentralDifferences() {
        EngineParity.assertSame(new UpSampling2d(List.of(2, 3), "bilinear"), new Shape(3, 4, 5));
        EngineParity.assertSame(new UpSampling2d(), new Shape(2, 3, 3));
        EngineParity.assertSame(new UpSampling1d(2), new Shape(4, 5));
        for (String engine : EngineParity.ENGINES) {
            var bad = EngineParity.with().gradientCheck(engine,
                    new UpSampling2d(List.of(3, 2), "bilinear"), new Shape(2, 3, 4), 20, 1e-6);
            assertTrue(bad.isEmpty(), bad.toString());
        }
    }

    @Test
    void configRoundTripsAndBadSettingsAreNamed() {
        for (var spec : List.of(new UpSampling2d(), new UpSampling2d(List.of(2, 3), "bilinear"),
                new UpSampling1d(4))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        assertEquals(new UpSampling2d(3, "nearest"),
                LayerTypes.catalog().parse(Map.of("upsampling2d", Map.of("size", 3))));
        var interp = assertThrows(SpecException.class, () -> new UpSampling2d(2, "bicubic"));
        assertEquals("upsampling2d.interpolation: expected 'nearest' or 'bilinear', received"
                + " interpolation='bicubic'", interp.getMessage());
        var size = assertThrows(SpecException.class, () -> new UpSampling1d(0));
        assertEquals("upsampling1d.size: expected a positive integer, received size=0",
                size.getMessage());
        var shape = assertThrows(ShapeException.class,
                () -> new UpSampling2d().outputShape(new Shape(784)));
        assertEquals("expected (channels, height, width) with known positive sizes, got (784)",
                shape.getMessage());
    }
}
