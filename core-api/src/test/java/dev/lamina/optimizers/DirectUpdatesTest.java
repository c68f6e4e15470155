package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.engine.Gradients;
import dev.lamina.testing.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DirectUpdates} hands a rule the weight's own gradient to work in: for every optimizer
 * and both engines, that gives the weights of the rule driven through DJL's {@link
 * Optimizer#update} with a gradient it must leave alone, to the last bit, and leaves the
 * gradient as the next update must read it when no backward pass wrote it: zero.
 */
class DirectUpdatesTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        TestEngines.names().forEach(e -> OptimizerCases.all().forEach(c -> out.add(Arguments.of(e, c))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void workingInTheGradientGivesTheSameWeights(String engine, OptimizerCases.Case c) {
        float[][] copying = OptimizerCases.runDjl(engine, c.spec());
        try (NDManager manager = TestEngines.manager(engine)) {
            NDArray w = manager.create(OptimizerCases.W0);
            w.setRequiresGradient(true);
            UpdateRule rule = (UpdateRule) c.spec().toDjl();
            for (int s = 0; s < OptimizerCases.GRADS.length; s++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    // the weight's own stored gradient becomes GRADS[s]: d/dw sum(w · G) = G
                    // (PyTorch adds it to what is stored: the last update must have cleared it)
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        gc.backward(w.mul(manager.create(OptimizerCases.GRADS[s])).sum());
                    }
                    NDArray g = w.getGradient();
                    assertArrayEquals(OptimizerCases.GRADS[s], g.toFloatArray(), "step " + (s + 1) + "'s gradient");
                    rule.consume("w", w, g, true);
                    // cleared after its update; on MXNet, which writes gradients afresh, left
                    // unmarked, and cleared before it is read again if no backward pass wrote it
                    Gradients.settle(w, w.getGradient());
                    for (float v : w.getGradient().toFloatArray()) {
                        assertEquals(0f, v, "the gradient an update would read next");
                    }
                }
                assertArrayEquals(copying[s], w.toFloatArray(), "step " + (s + 1));
            }
        }
    }
}
