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

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void centerAndScaleSwitchBetaAndGammaOff(String engine) {
        try (LayerRun r = LayerRun.of(engine, new LayerNorm(1e-3, false, true, null, null),
                new Shape(3), 1)) {
            assertEquals(List.of("gamma"), List.copyOf(r.parameters().keySet()));
        }
        try (LayerRun r = LayerRun.of(engine, new LayerNorm(1e-3, true, false, null, null),
                new Shape(3), 1)) {
            assertEquals(List.of("beta"), List.copyOf(r.parameters().keySet()));
        }
        try (LayerRun r = LayerRun.of(engine, new LayerNorm(1e-3, false, false, null, null),
                new Shape(3), 2)) {
            assertEquals(List.of(), List.copyOf(r.parameters().keySet()));
            float[] y = r.forward(false, 1, 2, 3, 10, 10, 10);
            float s = (float) Math.sqrt(2 / 3.0 + 1e-3); // mean 2, biased variance 2/3
            assertArrayEquals(new float[] {-1 / s, 0, 1 / s, 0, 0, 0}, y, 1e-5f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void rmsScalingDividesTheUncentredInputByTheStandardDeviation(String engine) {
        // center is asked for but rms_scaling drops beta; scale is off but rms_scaling keeps gamma
        LayerNorm spec = new LayerNorm(1e-3, true, false, true, null, null);
        try (LayerRun r = LayerRun.of(engine, spec, new Shape(3), 2)) {
            assertEquals(List.of("gamma"), List.copyOf(r.parameters().keySet()));
            r.set("gamma", 1, 2, 1);
            float[] y = r.forward(false, 1, 2, 3, -2, 0, 5);
            // sample 1: mean 2, biased variance 2/3; sample 2: mean 1, variance (9+1+16)/3 = 26/3
            double s1 = Math.sqrt(2 / 3.0 + 1e-3);
            double s2 = Math.sqrt(26 / 3.0 + 1e-3);
            assertArrayEquals(new float[] {(float) (1 / s1), (float) (4 / s1), (float) (3 / s1),
                (float) (-2 / s2), 0, (float) (5 / s2)}, y, 1e-5f);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (String engine : EngineParity.ENGINES) {
            for (LayerNorm spec : List.of(new LayerNorm(), new LayerNorm(1e-3, true, true, true, null,
                    null), new LayerNorm(1e-3, false, false, null, null))) {
                var bad = EngineParity.with().gradientCheck(engine, spec, new Shape(2, 5), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void aNonPositiveEpsilonIsRefused() {
        SpecException e = assertThrows(SpecException.class,
                () -> new LayerNorm(0, true, true, true, null, null));
        assertEquals("layer_norm.epsilon: expected a positive number, received epsilon=0.0",
                e.getMessage());
    }

    @Test
    void needsAFeatureAxis() {
        assertThrows(ShapeException.class, () -> new LayerNorm().outputShape(new Shape()));
    }
}
