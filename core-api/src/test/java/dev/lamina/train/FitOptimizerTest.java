package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.OptimizerSpec;
import dev.lamina.optimizers.Optimizers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fit binds the optimizer to the model's parameters: exclude_from_weight_decay matches Lamina's
 * parameter names ({@code weight}, {@code bias}), global_clipnorm measures the kernel's and the
 * bias's gradients together. One sgd step of a dense layer, worked out by hand, on both engines.
 */
class FitOptimizerTest {
    private static final double TOL = 1e-5;

    private static Sequential dense(String engine, OptimizerSpec optimizer, float bias) {
        Sequential m = new Sequential("d").input(2);
        m.add(new Dense(1));
        m.engine(engine).seed(1);
        m.compile(optimizer, Losses.meanSquaredError());
        m.build();
        param(m, "weight").getArray().set(new float[] {0.5f, -1});
        param(m, "bias").getArray().set(new float[] {bias});
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

    private static float[] values(Sequential m, String name) {
        return param(m, name).getArray().toFloatArray();
    }

    private static FitOptions oneBatch() {
        return FitOptions.defaults().epochs(1).batchSize(3).shuffle(false);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void weightDecayLeavesTheExcludedBiasAlone(String engine) {
        // inputs 0, so the kernel's gradient is 0 and its step is the decay alone:
        // w·(1 − 0.5·0.1) = 0.95·w. Labels 0 against predictions 0.5 (the bias): loss mean(0.5²),
        // bias gradient 2·0.5 = 1; excluded, the bias only takes the step: 0.5 − 0.1 = 0.4
        Dataset zeros = new Dataset("z", new Tensor(new float[4], new Shape(2)),
                new Tensor(new float[2], new Shape(1)));
        try (Sequential m = dense(engine, Optimizers.sgd(0.1).withWeightDecay(0.5).excludeFromWeightDecay("bias"),
                0.5f)) {
            m.fit(zeros, oneBatch());
            assertEquals(0.475, values(m, "weight")[0], TOL);
            assertEquals(-0.95, values(m, "weight")[1], TOL);
            assertEquals(0.4, values(m, "bias")[0], TOL);
        }
        // not excluded, the bias decays first: 0.5 − 0.025 = 0.475, then − 0.1 = 0.375
        try (Sequential m = dense(engine, Optimizers.sgd(0.1).withWeightDecay(0.5), 0.5f)) {
            m.fit(zeros, oneBatch());
            assertEquals(0.475, values(m, "weight")[0], TOL);
            assertEquals(0.375, values(m, "bias")[0], TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void globalClipnormTakesKernelAndBiasTogether(String engine) {
        // x (1, 0), (0, 1), (1, 1), labels 1, 0, 2; kernel (0.5, −1), bias 0: errors −0.5, −1, −2.5;
        // dL/dp = (2/3)·e = (−1/3, −2/3, −5/3); kernel gradient (−2, −7/3), bias gradient −8/3;
        // global norm sqrt(4 + 49/9 + 64/9) = sqrt(149)/3 > 1, scale 3/sqrt(149);
        // sgd 0.1: kernel (0.5 + 0.6/sqrt(149), −1 + 0.7/sqrt(149)), bias 0.8/sqrt(149)
        Dataset data = new Dataset("r", new Tensor(new float[] {1, 0, 0, 1, 1, 1}, new Shape(2)),
                new Tensor(new float[] {1, 0, 2}, new Shape(1)));
        double r = Math.sqrt(149);
        try (Sequential m = dense(engine, Optimizers.sgd(0.1).withGlobalClipnorm(1), 0)) {
            m.fit(data, oneBatch());
            assertEquals(0.5 + 0.6 / r, values(m, "weight")[0], TOL);
            assertEquals(-1 + 0.7 / r, values(m, "weight")[1], TOL);
            assertEquals(0.8 / r, values(m, "bias")[0], TOL);
        }
    }
}
