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

class ZeroPaddingAndRescalingTest {
    private static ZeroPadding parse(Object padding) {
        return (ZeroPadding) LayerTypes.catalog().parse(Map.of("zero_padding2d",
                Map.of("padding", padding)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void padsWithZerosWhereKerasDoes(String engine) {
        // 1×2×2 [[1, 2], [3, 4]], top 1, bottom 0, left 0, right 2 -> 1×3×4
        ZeroPadding p = new ZeroPadding(2, List.of(List.of(1, 0), List.of(0, 2)));
        try (LayerRun r = LayerRun.of(engine, p, new Shape(1, 2, 2), 1)) {
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0},
                    r.forward(false, 1, 2, 3, 4));
            assertEquals(new Shape(1, 1, 3, 4), r.lastShape());
        }
        // 1-D: (channels 1, length 2) [5, 6], 2 before and 1 after -> [0, 0, 5, 6, 0]
        try (LayerRun r = LayerRun.of(engine, ZeroPadding.of1d(2, 1), new Shape(1, 2), 1)) {
            assertArrayEquals(new float[] {0, 0, 5, 6, 0}, r.forward(false, 5, 6));
        }
    }

    @Test
    void readsKerassThreeWaysOfWritingThePadding() {
        assertEquals(ZeroPadding.of2d(3), parse(3));
        assertEquals(new ZeroPadding(2, List.of(List.of(1, 1), List.of(2, 2))), parse(List.of(1, 2)));
        assertEquals(new ZeroPadding(2, List.of(List.of(1, 2), List.of(3, 4))),
                parse(List.of(List.of(1, 2), List.of(3, 4))));
        assertEquals(ZeroPadding.of2d(1), LayerTypes.catalog().parse(Map.of("zero_padding2d",
                Map.of())), "Keras's default is 1");
        assertEquals(ZeroPadding.of2d(3), LayerTypes.catalog().parse(Map.of("zero_padding2d", 3)));
        assertEquals(new Shape(3, 230, 230), ZeroPadding.of2d(3).outputShape(new Shape(3, 224, 224)));
        for (ZeroPadding z : List.of(ZeroPadding.of2d(3), parse(List.of(1, 2)),
                parse(List.of(List.of(1, 2), List.of(3, 4))), ZeroPadding.of1d(2, 1))) {
            assertEquals(z, LayerTypes.catalog().parse(Map.of(z.type(), z.config())),
                    "config() reads back: " + z.config());
        }
    }

    @Test
    void badPaddingIsRefused() {
        assertEquals("zero_padding2d.padding: expected zeros to add, each a number 0 or more, such"
                + " as 1, [1, 2] or [[1, 2], [3, 4]], received padding=[[-1, -1], [-1, -1]]",
                assertThrows(SpecException.class, () -> ZeroPadding.of2d(-1)).getMessage());
        var e = assertThrows(ConfigException.class, () -> parse(List.of(1, 2, 3)));
        assertTrue(e.getMessage().contains("'zero_padding2d' padding is a number, [height, width]"
                + " or [[top, bottom], [left, right]]"), e.getMessage());
        assertEquals("expected images (channels, height, width), got (4)",
                assertThrows(ShapeException.class,
                        () -> ZeroPadding.of2d(1).outputShape(new Shape(4))).getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void rescalesPerChannelAsCaffePreprocessing(String engine) {
        // two channels, one pixel each: x·255 − [100, 50]
        Rescaling r = new Rescaling(List.of(255.0), List.of(-100.0, -50.0));
        try (LayerRun run = LayerRun.of(engine, r, new Shape(2, 1, 1), 1)) {
            assertArrayEquals(new float[] {255 * 0.5f - 100, 255 * 0.2f - 50},
                    run.forward(false, 0.5f, 0.2f), 1e-4f);
        }
        try (LayerRun run = LayerRun.of(engine, new Rescaling(1 / 255.0, 0), new Shape(3), 1)) {
            assertArrayEquals(new float[] {1, 0, 0.5f}, run.forward(false, 255, 0, 127.5f), 1e-6f);
        }
    }

    @Test
    void rescalingReadsBackAndRefusesAChannelMismatch() {
        Rescaling r = new Rescaling(List.of(255.0), List.of(-123.68, -116.779, -103.939));
        assertEquals(r, LayerTypes.catalog().parse(Map.of("rescaling", r.config())));
        assertEquals("rescaling has 3 values, one per channel, but the input (1, 28, 28) has 1"
                + " channels (axis 1)", assertThrows(ShapeException.class,
                        () -> r.outputShape(new Shape(1, 28, 28))).getMessage());
        var missing = assertThrows(ConfigException.class,
                () -> LayerTypes.catalog().parse(Map.of("rescaling", Map.of())));
        assertTrue(missing.getMessage().contains("'rescaling' needs the setting 'scale'"),
                missing.getMessage());
    }

    @Test
    void gradientsAndEnginesAgree() {
        ZeroPadding z = new ZeroPadding(2, List.of(List.of(1, 2), List.of(0, 1)));
        Rescaling r = new Rescaling(List.of(2.0, 3.0), List.of(-1.0, 0.5));
        EngineParity.assertSame(z, new Shape(2, 3, 3));
        EngineParity.assertSame(r, new Shape(2, 3, 3));
        for (String engine : EngineParity.ENGINES) {
            for (var layer : List.of(z, r)) {
                var bad = EngineParity.with().dtype(DataType.FLOAT64)
                        .gradientCheck(engine, layer, new Shape(2, 3, 3), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }
}
