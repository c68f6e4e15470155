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

class BatchNormTest {
    // three samples of two features: feature 0 is 1, 3, 5 (mean 3, biased variance 8/3);
    // feature 1 is 2, 4, 9 (mean 5, biased variance 26/3)
    static final float[] X = {1, 2, 3, 4, 5, 9};
    static final double EPS = 1e-3;

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void trainingUsesBatchStatisticsAndMovesTheMovingOnes(String engine) {
        try (LayerRun r = LayerRun.of(engine, new BatchNorm(0.9, EPS), new Shape(2), 3)) {
            assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
                    List.copyOf(r.parameters().keySet()));
            r.set("gamma", 2, 1).set("beta", 0, 1);
            float[] y = r.forward(true, X);
            double s0 = Math.sqrt(8 / 3.0 + EPS);
            double s1 = Math.sqrt(26 / 3.0 + EPS);
            float[] expected = {(float) (-2 / s0 * 2), (float) (-3 / s1 + 1), 0, (float) (-1 / s1 + 1),
                (float) (2 / s0 * 2), (float) (4 / s1 + 1)};
            assertArrayEquals(expected, y, 1e-5f);
            // moving = 0.9 * moving + 0.1 * batch, from 0 and 1
            assertArrayEquals(new float[] {0.3f, 0.5f}, r.get("moving_mean"), 1e-6f);
            assertArrayEquals(new float[] {0.9f + 0.8f / 3, 0.9f + 2.6f / 3}, r.get("moving_variance"),
                    1e-6f);
            // a second step moves them again (the in-place update works twice in a row)
            r.forward(true, X);
            assertArrayEquals(new float[] {0.57f, 0.95f}, r.get("moving_mean"), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void inferenceUsesTheMovingStatistics(String engine) {
        try (LayerRun r = LayerRun.of(engine, new BatchNorm(), new Shape(2), 3)) {
            r.set("gamma", 2, 1).set("beta", 0, 1).set("moving_mean", 1, -1)
                    .set("moving_variance", 4, 0.25f);
            float[] y = r.forward(false, X);
            double s0 = Math.sqrt(4 + EPS);
            double s1 = Math.sqrt(0.25 + EPS);
            float[] expected = new float[6];
            for (int i = 0; i < 3; i++) {
                expected[2 * i] = (float) ((X[2 * i] - 1) / s0 * 2);
                expected[2 * i + 1] = (float) ((X[2 * i + 1] + 1) / s1 + 1);
            }
            assertArrayEquals(expected, y, 1e-5f);
            assertArrayEquals(new float[] {1, -1}, r.get("moving_mean"), 0f); // untouched
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void imagesAreNormalisedPerChannel(String engine) {
        // two samples of (2 channels, 1x2): channel 0 holds 1,3,5,7; channel 1 holds 10 everywhere
        try (LayerRun r = LayerRun.of(engine, new BatchNorm(0.5, EPS), new Shape(2, 1, 2), 2)) {
            float[] y = r.forward(true, 1, 3, 10, 10, 5, 7, 10, 10);
            double s = Math.sqrt(5 + EPS); // mean 4, biased variance (9+1+1+9)/4 = 5
            assertArrayEquals(new float[] {(float) (-3 / s), (float) (-1 / s), 0, 0, (float) (1 / s),
                (float) (3 / s), 0, 0}, y, 1e-5f);
            assertArrayEquals(new float[] {2, 5}, r.get("moving_mean"), 1e-6f);
            assertArrayEquals(new float[] {3, 0.5f}, r.get("moving_variance"), 1e-6f);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void centerAndScaleSwitchBetaAndGammaOff(String engine) {
        try (LayerRun r = LayerRun.of(engine, new BatchNorm(1, 0.9, EPS, false, true, null, null,
                null, null), new Shape(2), 3)) {
            assertEquals(List.of("gamma", "moving_mean", "moving_variance"),
                    List.copyOf(r.parameters().keySet()));
        }
        try (LayerRun r = LayerRun.of(engine, new BatchNorm(1, 0.9, EPS, true, false, null, null,
                null, null), new Shape(2), 3)) {
            assertEquals(List.of("beta", "moving_mean", "moving_variance"),
                    List.copyOf(r.parameters().keySet()));
        }
        try (LayerRun r = LayerRun.of(engine, new BatchNorm(1, 0.9, EPS, false, false, null, null,
                null, null), new Shape(2), 3)) {
            assertEquals(List.of("moving_mean", "moving_variance"),
                    List.copyOf(r.parameters().keySet()));
            float[] y = r.forward(true, X); // plain (x − mean) / sqrt(var + eps), as computed above
            double s0 = Math.sqrt(8 / 3.0 + EPS);
            double s1 = Math.sqrt(26 / 3.0 + EPS);
            assertArrayEquals(new float[] {(float) (-2 / s0), (float) (-3 / s1), 0, (float) (-1 / s1),
                (float) (2 / s0), (float) (4 / s1)}, y, 1e-5f);
        }
    }

    @Test
    void gradientsMatchCentralDifferencesWithoutCenterOrScale() {
        for (String engine : EngineParity.ENGINES) {
            var bad = EngineParity.with().training(true).batch(3).gradientCheck(engine,
                    new BatchNorm(1, 0.9, EPS, false, false, null, null, null, null),
                    new Shape(2, 3), 20, 1e-6);
            assertTrue(bad.isEmpty(), bad.toString());
        }
    }

    @Test
    void gradientsMatchCentralDifferencesInTrainingAndInference() {
        for (boolean training : List.of(true, false)) {
            for (String engine : EngineParity.ENGINES) {
                var bad = EngineParity.with().training(training).batch(3)
                        .gradientCheck(engine, new BatchNorm(), new Shape(2, 3, 3), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
    }

    @Test
    void movingStatisticsAreNotTrained() {
        try (LayerRun r = LayerRun.of("PyTorch", new BatchNorm(), new Shape(3), 2)) {
            assertTrue(r.block().getParameters().get("gamma").requiresGradient());
            assertTrue(!r.block().getParameters().get("moving_mean").requiresGradient());
            assertTrue(!r.block().getParameters().get("moving_variance").requiresGradient());
        }
    }

    @Test
    void settingsAndShapesAreChecked() {
        assertThrows(SpecException.class,
                () -> new BatchNorm(0, 0.99, 1e-3, true, true, null, null, null, null));
        var m = assertThrows(SpecException.class, () -> new BatchNorm(1.5, 1e-3));
        assertTrue(m.getMessage().contains("received momentum=1.5"), m.getMessage());
        assertThrows(SpecException.class, () -> new BatchNorm(0.9, 0));
        var axis = assertThrows(ShapeException.class,
                () -> new BatchNorm(3, 0.99, 1e-3, true, true, null, null, null, null)
                        .outputShape(new Shape(4, 5)));
        assertTrue(axis.getMessage().contains("(4, 5)"), axis.getMessage());
        assertEquals(new Shape(4, 5), new BatchNorm(-1, 0.99, 1e-3, true, true, null, null, null,
                null).outputShape(new Shape(4, 5)));
    }
}
