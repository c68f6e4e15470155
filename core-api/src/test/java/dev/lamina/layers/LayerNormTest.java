package dev.lamina.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ShapeException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LayerNormTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void normalisesEachSampleOverItsLastAxis(String engine) {
        try (LayerRun r = LayerRun.of(engine, new LayerNorm(), new Shape(3), 2)) {
            r.set("gamma", 1, 2, 1).set("beta", 0, 0, 1);
            float[] y = r.forward(false, 1, 2, 3, 10, 10, 10);
            double s = Math.sqrt(2 / 3.0 + 1e-3); // mean 2, biased variance 2/3
            assertArrayEquals(new float[] {(float) (-1 / s), 0, (float) (1 / s + 1), 0, 0, 1}, y, 1e-5f);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (String engine : EngineParity.ENGINES) {
            var bad = EngineParity.with().gradientCheck(engine, new LayerNorm(), new Shape(2, 5), 20,
                    1e-6);
            assertTrue(bad.isEmpty(), bad.toString());
        }
    }

    @Test
    void needsAFeatureAxis() {
        assertThrows(ShapeException.class, () -> new LayerNorm().outputShape(new Shape()));
    }
}
