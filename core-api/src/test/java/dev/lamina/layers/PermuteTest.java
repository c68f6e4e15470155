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

class PermuteTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void swapsTimeAndFeatures(String engine) {
        // (time 2, features 3) [[1, 2, 3], [4, 5, 6]] -> (3, 2) [[1, 4], [2, 5], [3, 6]]
        try (LayerRun r = LayerRun.of(engine, new Permute(2, 1), new Shape(2, 3), 1)) {
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, r.forward(false, 1, 2, 3, 4, 5, 6));
            assertEquals(new Shape(1, 3, 2), r.lastShape());
        }
        // (1, 2, 2) with dims [3, 1, 2] -> (2, 1, 2): y[k, i, j] = x[i, j, k]
        try (LayerRun r = LayerRun.of(engine, new Permute(3, 1, 2), new Shape(1, 2, 2), 1)) {
            assertArrayEquals(new float[] {1, 3, 2, 4}, r.forward(false, 1, 2, 3, 4));
            assertEquals(new Shape(1, 2, 1, 2), r.lastShape());
        }
    }

    @Test
    void beforeGlobalAvgPoolItAveragesOverTime() {
        // (time 2, features 2) [[1, 2], [3, 6]] -> means over time [2, 4]
        try (LayerRun r = LayerRun.of("MXNet", new Permute(2, 1), new Shape(2, 2), 1)) {
            float[] t = r.forward(false, 1, 2, 3, 6);
            try (LayerRun p = LayerRun.of("MXNet", new GlobalAvgPool(), new Shape(2, 2), 1)) {
                assertArrayEquals(new float[] {2, 4}, p.forward(false, t));
            }
        }
    }

    @Test
    void gradientsAndEnginesAgree() {
        EngineParity.assertSame(new Permute(2, 1), new Shape(3, 4));
        for (String engine : EngineParity.ENGINES) {
            var bad = EngineParity.with().dtype(DataType.FLOAT64)
                    .gradientCheck(engine, new Permute(3, 1, 2), new Shape(2, 3, 4), 20, 1e-6);
            assertTrue(bad.isEmpty(), bad.toString());
        }
    }

    @Test
    void badDimsAreRefused() {
        assertEquals("permute.dims: expected a permutation of 1..2 (axes counted from 1, the batch"
                + " is 0), received dims=[0, 1]", assertThrows(SpecException.class,
                        () -> new Permute(0, 1)).getMessage());
        assertEquals("permute.dims: expected a permutation of 1..2 (axes counted from 1, the batch"
                + " is 0), received dims=[2, 2]", assertThrows(SpecException.class,
                        () -> new Permute(2, 2)).getMessage());
        assertEquals("dims [2, 1] reorder 2 axes, but the input (1, 28, 28) has 3",
                assertThrows(ShapeException.class,
                        () -> new Permute(2, 1).outputShape(new Shape(1, 28, 28))).getMessage());
        var missing = assertThrows(ConfigException.class,
                () -> LayerTypes.catalog().parse(Map.of("permute", Map.of())));
        assertTrue(missing.getMessage().contains("'permute' needs the setting 'dims'"),
                missing.getMessage());
        assertEquals(new Permute(2, 1),
                LayerTypes.catalog().parse(Map.of("permute", Map.of("dims", List.of(2, 1)))));
    }
}
