package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.testing.TestEngines;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Updates free their temporaries: the weight's manager holds the weight and the state, no more. */
class OptimizerMemoryTest {
    static Stream<Arguments> enginesAndCases() {
        return TestEngines.names().flatMap(e -> OptimizerCases.all().stream().map(c -> Arguments.of(e, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndCases")
    void arraysDoNotPileUp(String engine, OptimizerCases.Case c) {
        try (NDManager manager = TestEngines.manager(engine)) {
            NDArray w = manager.create(OptimizerCases.W0);
            Optimizer optimizer = c.spec().toDjl();
            int afterFirst = -1;
            for (int step = 0; step < 50; step++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray g = batch.create(OptimizerCases.GRADS[step % OptimizerCases.GRADS.length]);
                    optimizer.update("w", w, g);
                }
                int held = ((BaseNDManager) manager).getManagedArrays().size();
                if (afterFirst < 0) {
                    afterFirst = held;
                }
                assertEquals(afterFirst, held, c.name() + " on " + engine + ", step " + step);
            }
        }
    }

    /**
     * With a real gradient (backward through a collector), the update clears the stored gradient,
     * as DJL's own optimizers do, and still leaves nothing behind.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndCases")
    void clearsTheGradientAndKeepsMemoryFlat(String engine, OptimizerCases.Case c) {
        try (NDManager manager = TestEngines.manager(engine)) {
            NDArray w = manager.create(OptimizerCases.W0);
            w.setRequiresGradient(true);
            Optimizer optimizer = c.spec().toDjl();
            for (int step = 0; step < 20; step++) {
                try (NDManager batch = manager.newSubManager()) {
                    try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                        NDArray loss = w.sub(3f).square().sum();
                        loss.attach(batch);
                        gc.backward(loss);
                    }
                    NDArray grad = w.getGradient();
                    grad.attach(batch);
                    // the first update creates the state; later ones must leave the count as it was
                    int before = ((BaseNDManager) manager).getManagedArrays().size();
                    optimizer.update("w", w, grad);
                    int held = ((BaseNDManager) manager).getManagedArrays().size();
                    if (step > 0) {
                        assertEquals(before, held, c.name() + " on " + engine + ", step " + step);
                    }
                    NDArray after = w.getGradient();
                    after.attach(batch);
                    assertArrayEquals(new float[OptimizerCases.W0.length], after.toFloatArray(),
                            c.name() + " on " + engine + ": gradient not cleared");
                }
            }
        }
    }
}
