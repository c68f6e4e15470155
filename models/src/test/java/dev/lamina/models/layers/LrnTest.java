package dev.lamina.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.ShapeException;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.EngineParity;
import dev.lamina.testing.LayerRun;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LrnTest {
    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void forwardMatchesAHandComputation(String engine) {
        // three channels of one pixel, x = [1, 2, 3]; size 3, alpha 3 (alpha/size = 1), beta 1, k 1.
        // sums of squares over the window: c0 1 + 4 = 5, c1 1 + 4 + 9 = 14, c2 4 + 9 = 13
        // b = [1/(1 + 5), 2/(1 + 14), 3/(1 + 13)]
        try (LayerRun r = LayerRun.of(engine, new Lrn(3, 3, 1, 1), new Shape(3, 1, 1), 1)) {
            assertTrue(r.parameters().isEmpty());
            assertArrayEquals(new float[] {1 / 6f, 2 / 15f, 3 / 14f}, r.forward(false, 1, 2, 3),
                    1e-6f);
            assertEquals(new Shape(1, 3, 1, 1), r.lastShape());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void matchesTheFormulaForOddAndEvenWindows(String engine) {
        // an even window is [c − size/2, c + (size − 1)/2], as PyTorch's LocalResponseNorm
        for (Lrn spec : List.of(new Lrn(), new Lrn(4, 0.5, 0.6, 1.5), new Lrn(1, 1, 0.5, 2),
                new Lrn(9, 2, 0.75, 1))) {
            Shape sample = new Shape(6, 2, 3);
            float[] x = new float[2 * 36];
            Random rnd = new Random(5);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 3);
            }
            try (LayerRun r = LayerRun.of(engine, spec, sample, 2)) {
                assertArrayEquals(reference(spec, x, 2, 6, 6), r.forward(false, x), 1e-5f,
                        spec.toString());
            }
        }
    }

    /** b_c = a_c / (k + alpha/size · Σ_{window} a²)^beta, in double, for (n, c, rest) data. */
    static float[] reference(Lrn s, float[] x, int n, int c, int rest) {
        float[] out = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < rest; p++) {
                    double sum = 0;
                    for (int j = ch - s.size() / 2; j <= ch + (s.size() - 1) / 2; j++) {
                        if (j >= 0 && j < c) {
                            double v = x[(b * c + j) * rest + p];
                            sum += v * v;
                        }
                    }
                    int i = (b * c + ch) * rest + p;
                    out[i] = (float) (x[i] / Math.pow(s.k() + s.alpha() / s.size() * sum, s.beta()));
                }
            }
        }
        return out;
    }

    @Test
    void bothEnginesAgreeAndGradientsMatchCentralDifferences() {
        for (Lrn spec : List.of(new Lrn(), new Lrn(4, 1, 0.75, 1), new Lrn(3, 2, 1.5, 0.5))) {
            EngineParity.with().inputScale(3).check(spec, new Shape(7, 3, 4)).assertOk();
            for (String engine : EngineParity.ENGINES) {
                var bad = EngineParity.with().inputScale(3).gradientCheck(engine, spec,
                        new Shape(5, 2, 3), 20, 1e-6);
                assertTrue(bad.isEmpty(), bad.toString());
            }
        }
        EngineParity.assertSame(new Lrn(), new Shape(3)); // (channels) alone works too
    }

    @Test
    void configParsesBackToAnEqualSpec() {
        for (Lrn spec : List.of(new Lrn(), new Lrn(3, 5e-4, 0.5, 1))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        assertEquals(new Lrn(), LayerTypes.catalog().parse("lrn"));
        assertEquals(Map.of("lrn", Map.of("size", 5, "alpha", 1e-4, "beta", 0.75, "k", 2.0)),
                new Lrn().toMap());
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        var size = assertThrows(SpecException.class, () -> new Lrn(0, 1e-4, 0.75, 2));
        assertEquals("lrn.size: expected a positive integer, received size=0", size.getMessage());
        var alpha = assertThrows(SpecException.class, () -> new Lrn(5, -1, 0.75, 2));
        assertTrue(alpha.getMessage().startsWith("lrn.alpha: expected"), alpha.getMessage());
        var beta = assertThrows(SpecException.class, () -> new Lrn(5, 1e-4, Double.NaN, 2));
        assertTrue(beta.getMessage().contains("received beta=NaN"), beta.getMessage());
        var k = assertThrows(SpecException.class, () -> new Lrn(5, 1e-4, 0.75, 0));
        assertEquals("lrn.k: expected a positive finite number, received k=0.0", k.getMessage());
        var yaml = assertThrows(ConfigException.class,
                () -> LayerTypes.catalog().parse(Map.of("lrn", Map.of("n", 5))));
        assertTrue(yaml.getMessage().contains("has no setting 'n'"), yaml.getMessage());
        assertThrows(ShapeException.class, () -> new Lrn().outputShape(new Shape()));
    }
}
