package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Callbacks in a real fit, on both engines. The model is one dense unit on inputs of 0 with label
 * 0: its output is its bias b, the loss b², the gradient 2b, so an sgd step at rate r makes b
 * b·(1 − 2r), and the History's loss is b² before each epoch's step. Each test works out the bias
 * the callbacks must leave.
 */
class CallbackFitTest {
    private static final double TOL = 1e-6;

    private static Sequential bias(String engine, double lr) {
        Sequential m = new Sequential("b").input(2);
        m.add(new Dense(1));
        m.engine(engine).seed(1);
        m.compile(Optimizers.sgd(lr), Losses.meanSquaredError());
        m.build();
        param(m, "bias").getArray().set(new float[] {1});
        return m;
    }

    private static Parameter param(Sequential m, String name) {
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            if (p.getValue().getName().equals(name)) {
                return p.getValue();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static double bias(Sequential m) {
        return param(m, "bias").getArray().toFloatArray()[0];
    }

    /** {@code n} samples of zeros, label 0. */
    private static Dataset zeros(int n) {
        return new Dataset("z", new Tensor(new float[2 * n], new Shape(2)),
                new Tensor(new float[n], new Shape(1)));
    }

    private static FitOptions oneBatchPerEpoch(int epochs) {
        return FitOptions.defaults().epochs(epochs).batchSize(2).shuffle(false);
    }

    private static void assertSeries(List<Double> want, List<Double> got) {
        assertEquals(want.size(), got.size(), "" + got);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), got.get(i), TOL, "epoch " + i + " of " + got);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void reduceLrOnPlateauLowersTheRateTheOptimizerUses(String engine) {
        // mode max on a falling loss: epoch 0 is the best, epoch 1 reaches patience 1, and the
        // rate goes from 0.1 to 0.01 for epoch 2. b: 1, 0.8, 0.64, then 0.64·0.98 = 0.6272
        ReduceLROnPlateau r = new ReduceLROnPlateau("loss", 0.1, 1, "max", 0, 0, 0);
        try (Sequential m = bias(engine, 0.1)) {
            History h = m.fit(zeros(2), oneBatchPerEpoch(3).callbacks(r));
            assertSeries(List.of(1.0, 0.64, 0.4096), h.get("loss"));
            // each epoch logs the rate of the updates to come: lowered after epoch 1's log
            assertSeries(List.of(0.1, 0.1, 0.01), h.get("learning_rate"));
            assertEquals(0.6272, bias(m), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void learningRateSchedulerSetsTheRateOfEachEpoch(String engine) {
        // 0.2 for epoch 0 (b 1 → 0.6), then half of the last: 0.1 (b → 0.48)
        LearningRateScheduler s = new LearningRateScheduler((epoch, lr) -> epoch == 0 ? 0.2 : lr * 0.5);
        try (Sequential m = bias(engine, 0.1)) {
            History h = m.fit(zeros(2), oneBatchPerEpoch(2).callbacks(s));
            assertSeries(List.of(0.2, 0.1), h.get("learning_rate"));
            assertSeries(List.of(1.0, 0.36), h.get("loss"));
            assertEquals(0.48, bias(m), TOL);
        }
    }

    /** Records the bias at the end of each epoch. */
    private static final class Biases implements Callback {
        final List<Double> seen = new ArrayList<>();
        final Sequential m;

        Biases(Sequential m) {
            this.m = m;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
            seen.add(bias(m));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void earlyStoppingRestoresTheBestEpochsWeights(String engine) {
        // mode max on a falling loss: epoch 0 (loss 1) is the best, epoch 1 does not improve and
        // stops (patience 1); the weights at the end of epoch 0 (b 0.8) come back, not 0.64
        EarlyStopping es = new EarlyStopping("loss", 0, 1, "max", null, true, 0);
        try (Sequential m = bias(engine, 0.1)) {
            Biases seen = new Biases(m);
            History h = m.fit(zeros(2), oneBatchPerEpoch(10).callbacks(seen, es));
            assertEquals(2, h.epochs());
            assertEquals(1, es.stoppedEpoch());
            assertEquals(0, es.bestEpoch());
            assertSeries(List.of(0.8, 0.64), seen.seen);
            assertEquals(0.8, bias(m), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theCopiedWeightsAreFreed(String engine) {
        try (Sequential m = bias(engine, 0.1)) {
            List<ai.djl.ndarray.NDArray> copies;
            try (WeightSnapshot s = WeightSnapshot.of(m)) {
                assertEquals(2, s.size(), "kernel and bias");
                copies = s.arrays();
                copies.forEach(a -> assertTrue(!a.isReleased()));
                param(m, "bias").getArray().set(new float[] {5});
                assertEquals(1.0, copies.get(1).toFloatArray()[0], TOL, "a copy, not a view");
                s.restoreTo(m);
                assertEquals(1.0, bias(m), TOL);
            }
            copies.forEach(a -> assertTrue(a.isReleased(), "freed with the snapshot"));
            // early stopping lets go of its copy when training ends
            EarlyStopping es = new EarlyStopping("loss", 0, 1, "max", null, true, 0);
            List<Boolean> held = new ArrayList<>();
            Callback watch = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
                    held.add(es.holdsWeights());
                }
            };
            m.fit(zeros(2), oneBatchPerEpoch(2).callbacks(es, watch));
            assertEquals(List.of(true, true), held);
            assertTrue(!es.holdsWeights());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void earlyStoppingRestoresTheBestWeightsWhenTheEpochsRunOut(String engine) {
        // Keras 3's rule: restored at the end of training even without an early stop.
        // Patience 5 never runs out in 3 epochs; the best is epoch 0 (b 0.8)
        EarlyStopping es = new EarlyStopping("loss", 0, 5, "max", null, true, 0);
        try (Sequential m = bias(engine, 0.1)) {
            History h = m.fit(zeros(2), oneBatchPerEpoch(3).callbacks(es));
            assertEquals(3, h.epochs());
            assertEquals(-1, es.stoppedEpoch());
            assertEquals(0.8, bias(m), TOL);
        }
        // without restore_best_weights the last weights stay: 0.8³ = 0.512
        try (Sequential m = bias(engine, 0.1)) {
            m.fit(zeros(2), oneBatchPerEpoch(3).callbacks(new EarlyStopping("loss", 0, 5, "max", null, false, 0)));
            assertEquals(0.512, bias(m), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void stoppingFromABatchHookEndsTheEpochAfterThatBatch(String engine) {
        // 4 batches of one sample; stopped after batch 1 of epoch 0: two updates, b = 0.8² = 0.64;
        // the epoch's loss is the mean over the two batches done, (1 + 0.64) / 2
        List<String> calls = new ArrayList<>();
        Callback stopper = new Callback() {
            @Override
            public void onBatchBegin(int epoch, int batch, FitContext run) {
                calls.add("begin " + epoch + "." + batch);
            }

            @Override
            public void onBatchEnd(int epoch, int batch, Map<String, Double> logs, FitContext run) {
                calls.add("end " + epoch + "." + batch);
                if (batch == 1) {
                    run.stopTraining();
                }
            }
        };
        try (Sequential m = bias(engine, 0.1)) {
            History h = m.fit(zeros(4), FitOptions.defaults().epochs(3).batchSize(1).shuffle(false)
                    .callbacks(stopper));
            assertEquals(List.of("begin 0.0", "end 0.0", "begin 0.1", "end 0.1"), calls);
            assertEquals(1, h.epochs());
            assertEquals(0.82, h.last("loss"), TOL);
            assertEquals(0.64, bias(m), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void terminateOnNanAsACallbackStopsEvenWhenTheOptionIsOff(String engine) {
        float[] x = new float[4];
        Arrays.fill(x, Float.NaN);
        Dataset nan = new Dataset("nan", new Tensor(x, new Shape(2)), new Tensor(new float[2], new Shape(1)));
        try (Sequential m = bias(engine, 0.1)) {
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> m.fit(nan,
                    oneBatchPerEpoch(2).terminateOnNan(false).callbacks(new TerminateOnNaN())));
            assertEquals(1, e.epoch());
            assertEquals(1, e.batch());
            assertEquals(1.0, bias(m), TOL, "the batch changed no weight");
        }
        try (Sequential m = bias(engine, 0.1)) {
            History h = m.fit(nan, oneBatchPerEpoch(2).terminateOnNan(false));
            assertEquals(2, h.epochs());
            assertTrue(Double.isNaN(h.last("loss")));
        }
    }
}
