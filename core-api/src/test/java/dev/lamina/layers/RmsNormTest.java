package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RmsNormTest {
    static final double EPS = 1e-6;

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void dividesEachSampleByTheRootMeanSquareOfItsLastAxis(String engine) {
        try (LayerRun r = LayerRun.of(engine, new RmsNorm(), new Shape(3), 2)) {
            assertEquals(Map.of("scale", new Shape(3)), r.parameters()); // 3 parameters, as Keras
            assertArrayEquals(new float[] {1, 1, 1}, r.get("scale"), 0f); // starts at ones
            r.set("scale", 1, 2, 0.5f);
            float[] y = r.forward(false, 1, 2, 3, -4, 0, 3);
            double s1 = Math.sqrt(14 / 3.0 + EPS); // (1 + 4 + 9) / 3; nothing subtracted
            double s2 = Math.sqrt(25 / 3.0 + EPS); // (16 + 0 + 9) / 3
            assertArrayEquals(new float[] {(float) (1 / s1), (float) (4 / s1), (float) (1.5 / s1),
                (float) (-4 / s2), 0, (float) (1.5 / s2)}, y, 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void anotherAxisIsNormalisedAndScaledAlongThatAxis(String engine) {
        // one sample of shape (2, 3), axis 1 (the first per-sample axis): each column is normalised
        try (LayerRun r = LayerRun.of(engine, new RmsNorm(1, EPS), new Shape(2, 3), 1)) {
            assertEquals(Map.of("scale", new Shape(2)), r.parameters());
            r.set("scale", 1, -2);
            float[] y = r.forward(false, 3, 1, 0, 4, 1, 2);
            double[] ms = {(9 + 16) / 2.0, (1 + 1) / 2.0, (0 + 4) / 2.0};
            double[][] x = {{3, 1, 0}, {4, 1, 2}};
            float[] expected = new float[6];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected[i * 3 + j] = (float) (x[i][j] / Math.sqrt(ms[j] + EPS) * (i == 0 ? 1 : -2));
                }
            }
            assertArrayEquals(expected, y, 1e-5f);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (String engine : EngineParity.ENGINES) {
            for (RmsNorm spec : List.of(new RmsNorm(), new RmsNorm(1, 1e-3))) {
                var bad = EngineParity.with().gradientCheck(engine, spec, new Shape(3, 4), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void badSettingsAreNamed() {
        SpecException e = assertThrows(SpecException.class, () -> new RmsNorm(0, 1e-6));
        assertEquals("rms_norm.axis: expected a non-batch axis (-1 is the last), received axis=0",
                e.getMessage());
        e = assertThrows(SpecException.class, () -> new RmsNorm(-1, -1e-6));
        assertEquals("rms_norm.epsilon: expected a positive number, received epsilon=-1.0E-6",
                e.getMessage());
        ShapeException s = assertThrows(ShapeException.class,
                () -> new RmsNorm(3, 1e-6).outputShape(new Shape(4, 5)));
        assertEquals("axis=3 does not fit input (4, 5) (with the batch axis in front, expected"
                + " axis 1..2 or -2..-1)", s.getMessage());
    }
}
