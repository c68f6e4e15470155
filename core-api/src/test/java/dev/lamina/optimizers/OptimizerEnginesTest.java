package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One optimizer, the same numbers on PyTorch and MXNet. */
class OptimizerEnginesTest {
    static Stream<OptimizerCases.Case> cases() {
        return OptimizerCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameNumbersOnBothEngines(OptimizerCases.Case c) {
        float[][] pt = OptimizerCases.runDjl("PyTorch", c.spec());
        float[][] mx = OptimizerCases.runDjl("MXNet", c.spec());
        for (int s = 0; s < pt.length; s++) {
            for (int i = 0; i < pt[s].length; i++) {
                double tol = 1e-6 * Math.max(Math.abs(pt[s][i]), 0.1);
                assertTrue(Math.abs(pt[s][i] - mx[s][i]) <= tol, c.name() + ", step " + (s + 1) + ", element " + i
                        + ": PyTorch " + pt[s][i] + ", MXNet " + mx[s][i]);
            }
        }
    }
}
