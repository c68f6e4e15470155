package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each optimizer's DJL update against Keras's formula computed by hand, on each engine. */
class OptimizerUpdateTest {
    static Stream<Arguments> enginesAndCases() {
        return dev.lamina.testing.TestEngines.names()
                .flatMap(e -> OptimizerCases.all().stream().map(c -> Arguments.of(e, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndCases")
    void matchesTheFormula(String engine, OptimizerCases.Case c) {
        float[][] actual = OptimizerCases.runDjl(engine, c.spec());
        double[][] expected = OptimizerCases.runReference(c.reference());
        for (int s = 0; s < expected.length; s++) {
            for (int i = 0; i < expected[s].length; i++) {
                double e = expected[s][i];
                double a = actual[s][i];
                // relative, with a floor so a value that passes near 0 is not held to float32's tiniest ulps
                double tol = 1e-6 * Math.max(Math.abs(e), 0.1);
                assertTrue(Math.abs(a - e) <= tol, c.name() + " on " + engine + ", step " + (s + 1) + ", element "
                        + i + ": expected " + e + ", got " + a);
            }
            // the step really moved the weight, so the comparison says something about the rule
            double[] before = s == 0 ? OptimizerCases.toDoubles(OptimizerCases.W0) : expected[s - 1];
            double moved = 0;
            for (int i = 0; i < before.length; i++) {
                moved = Math.max(moved, Math.abs(expected[s][i] - before[i]));
            }
            assertTrue(moved > 1e-3, c.name() + " barely moves the weight: " + moved);
        }
    }
}
