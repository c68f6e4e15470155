package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.testing.TestEngines;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** End to end through DJL: each optimizer minimises f(w) = Σ(w − 3)², and trains a Linear block. */
class OptimizerConvergenceTest {
    static Stream<Arguments> enginesAndOptimizers() {
        OptimizerSpec[] specs = {
            Optimizers.sgd(0.1),
            Optimizers.sgd(0.05, 0.9),
            Optimizers.sgd(0.05, 0.9, true),
            Optimizers.adagrad(1.0),
            Optimizers.rmsprop(0.02),
            Optimizers.rmsprop(0.01, 0.9, 0.5, 1e-7, true),
            Optimizers.adam(0.1),
            Optimizers.adam(0.1).withAmsgrad(true),
            Optimizers.adamw(0.1, 0.001),
            Optimizers.adadelta(50),
            Optimizers.sgd(0.1).withClipnorm(1.0),
            Optimizers.adam(0.1).withClipvalue(0.5),
        };
        return TestEngines.names().flatMap(e -> Arrays.stream(specs).map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndOptimizers")
    void minimisesAQuadratic(String engine, OptimizerSpec spec) {
        try (NDManager manager = TestEngines.manager(engine)) {
            NDArray w = manager.create(new float[] {0f, 1f, 2.5f, 4f, 6f});
            w.setRequiresGradient(true);
            Optimizer optimizer = spec.toDjl();
            for (int step = 0; step < 200; step++) {
                try (NDManager batch = manager.newSubManager()) {
                    try (GradientCollector gc = Engine.getEngine(engine).newGradientCollector()) {
                        NDArray loss = w.sub(3f).square().sum();
                        loss.attach(batch);
                        gc.backward(loss);
                    }
                    NDArray grad = w.getGradient();
                    optimizer.update("w", w, grad);
                }
            }
            float[] out = w.toFloatArray();
            for (float v : out) {
                assertTrue(Math.abs(v - 3) < 0.05, spec.toMap() + " on " + engine + " ended at " + Arrays.toString(out));
            }
        }
    }

    static Stream<Arguments> enginesAndTrainerOptimizers() {
        OptimizerSpec[] specs = {Optimizers.sgd(0.05, 0.9), Optimizers.adam(0.05), Optimizers.rmsprop(0.03)};
        return TestEngines.names().flatMap(e -> Arrays.stream(specs).map(s -> Arguments.of(e, s)));
    }

    /** Through DJL's Trainer and parameter store: fits y = 2·x1 − 3·x2 + 1 with a Linear block. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndTrainerOptimizers")
    void trainsALinearBlock(String engine, OptimizerSpec spec) {
        try (Model model = Model.newInstance("linear", ai.djl.Device.cpu(), engine)) {
            Linear block = Linear.builder().setUnits(1).build();
            // zeros, not the engine's random draw, so the run is the same every time
            block.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, ai.djl.nn.Parameter.Type.WEIGHT);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(spec.toDjl());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 2));
                NDManager m = trainer.getManager();
                java.util.Random random = new java.util.Random(7);
                float[] xs = new float[16];
                float[] ys = new float[8];
                for (int i = 0; i < 8; i++) {
                    xs[2 * i] = (float) random.nextGaussian();
                    xs[2 * i + 1] = (float) random.nextGaussian();
                    ys[i] = 2 * xs[2 * i] - 3 * xs[2 * i + 1] + 1;
                }
                NDArray x = m.create(xs, new Shape(8, 2));
                NDArray y = m.create(ys, new Shape(8, 1));
                float last = Float.NaN;
                for (int step = 0; step < 300; step++) {
                    try (NDManager batch = m.newSubManager()) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(pred));
                            loss.attach(batch);
                            pred.attach(batch);
                            gc.backward(loss);
                            last = loss.getFloat();
                        }
                        trainer.step();
                    }
                }
                assertTrue(last < 1e-3, spec.toMap() + " on " + engine + ": final loss " + last);
            }
        }
    }
}
