package dev.lamina.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.testing.TestEngines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An optimizer bound to named parameters, as {@code fit} makes it: {@code exclude_from_weight_decay}
 * matches the parameters' names, {@code global_clipnorm} measures all their gradients together.
 * Two parameters, {@code weight} and {@code bias}, get their gradients from a real backward pass
 * and are updated one at a time, as DJL's trainer does; the numbers are worked out by hand.
 */
class OptimizerBindingTest {
    /** The two parameters' values after each of two steps. */
    private static float[][][] run(String engine, OptimizerSpec spec, float[] weight0, float[] bias0,
            float[][] weightGrads, float[][] biasGrads, boolean biasFirst) {
        try (NDManager manager = TestEngines.manager(engine)) {
            Parameter weight = param("weight", Parameter.Type.WEIGHT, manager.create(weight0));
            Parameter bias = param("bias", Parameter.Type.BIAS, manager.create(bias0));
            ParameterList params = new ParameterList();
            params.add("01core_weight", weight);
            params.add("01core_bias", bias);
            Optimizer optimizer = spec.toDjl(params);
            float[][][] out = new float[weightGrads.length][][];
            for (int s = 0; s < weightGrads.length; s++) {
                // a loss whose gradient is exactly the chosen one: d(Σ w·g)/dw = g
                try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                    NDArray loss = weight.getArray().mul(manager.create(weightGrads[s])).sum()
                            .add(bias.getArray().mul(manager.create(biasGrads[s])).sum());
                    gc.backward(loss);
                }
                Parameter[] order = biasFirst && s % 2 == 0 ? new Parameter[] {bias, weight}
                        : new Parameter[] {weight, bias};
                for (Parameter p : order) {
                    NDArray w = p.getArray();
                    optimizer.update(p.getId(), w, w.getGradient().duplicate());
                }
                out[s] = new float[][] {weight.getArray().toFloatArray(), bias.getArray().toFloatArray()};
            }
            return out;
        }
    }

    private static Parameter param(String name, Parameter.Type type, NDArray value) {
        Parameter p = Parameter.builder().setName(name).setType(type).build();
        value.setRequiresGradient(true);
        p.setArray(value);
        return p;
    }

    private static void assertClose(double expected, float actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-6 * Math.max(Math.abs(expected), 0.1),
                what + ": expected " + expected + ", got " + actual);
    }

    private static final float[][] ONES = {{1f}, {1f}};

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void excludedWeightsDoNotDecay(String engine) {
        // sgd, learning rate 0.1, weight_decay 0.5, gradient 1 for both; weight 2, bias 1
        // weight: 2 − 2·0.5·0.1 = 1.9, − 0.1·1 = 1.8;  1.8 − 1.8·0.05 = 1.71, − 0.1 = 1.61
        // bias, excluded: 1 − 0.1 = 0.9; 0.9 − 0.1 = 0.8
        Sgd sgd = Optimizers.sgd(0.1).withWeightDecay(0.5).excludeFromWeightDecay("bias", "gamma", "beta");
        float[][][] out = run(engine, sgd, new float[] {2f}, new float[] {1f}, ONES, ONES, true);
        assertClose(1.8, out[0][0][0], "weight after step 1");
        assertClose(0.9, out[0][1][0], "bias after step 1");
        assertClose(1.61, out[1][0][0], "weight after step 2");
        assertClose(0.8, out[1][1][0], "bias after step 2");

        // without the exclusion the bias decays too: 1 − 0.05 = 0.95, − 0.1 = 0.85;
        // 0.85 − 0.85·0.05 = 0.8075, − 0.1 = 0.7075
        float[][][] all = run(engine, Optimizers.sgd(0.1).withWeightDecay(0.5), new float[] {2f},
                new float[] {1f}, ONES, ONES, true);
        assertClose(1.8, all[0][0][0], "weight after step 1");
        assertClose(0.85, all[0][1][0], "bias after step 1");
        assertClose(1.61, all[1][0][0], "weight after step 2");
        assertClose(0.7075, all[1][1][0], "bias after step 2");
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void adamwExcludesByTheParametersNames(String engine) {
        float[] w0 = {0.5f, -1.25f};
        float[] b0 = {2.0f};
        float[][] gw = {{0.1f, -0.4f}, {-0.3f, 0.2f}};
        float[][] gb = {{1.5f}, {0.9f}};
        float[][][] out = run(engine, Optimizers.adamw(0.1, 0.05).excludeFromWeightDecay("bias"), w0, b0, gw, gb,
                false);
        double[] w = OptimizerCases.toDoubles(w0);
        double[] b = OptimizerCases.toDoubles(b0);
        Reference.Rule decayed = Reference.adam(0.1, 0.05, 0.9, 0.999, 1e-7, false).get();
        Reference.Rule plain = Reference.adam(0.1, 0, 0.9, 0.999, 1e-7, false).get();
        for (int s = 0; s < 2; s++) {
            decayed.step(w, OptimizerCases.toDoubles(gw[s]), s + 1);
            plain.step(b, OptimizerCases.toDoubles(gb[s]), s + 1);
            for (int i = 0; i < w.length; i++) {
                assertClose(w[i], out[s][0][i], "weight[" + i + "] after step " + (s + 1));
            }
            assertClose(b[0], out[s][1][0], "bias after step " + (s + 1));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void globalClipnormScalesAllGradientsTogether(String engine) {
        // step 1: gradients (3, 0) and (4): global norm sqrt(9 + 16) = 5 > 1, so each is scaled by
        // 1/5: (0.6, 0) and (0.8). sgd at 0.1: weight (1, 1) − 0.1·(0.6, 0) = (0.94, 1);
        // bias 1 − 0.08 = 0.92. (clipnorm 1 per weight would give weight (0.9, 1) and bias 0.9.)
        // step 2: gradients (0.3, 0) and (0.4): norm 0.5 <= 1, unscaled:
        // weight (0.94 − 0.03, 1) = (0.91, 1); bias 0.92 − 0.04 = 0.88
        float[][] gw = {{3f, 0f}, {0.3f, 0f}};
        float[][] gb = {{4f}, {0.4f}};
        for (boolean biasFirst : new boolean[] {false, true}) {
            float[][][] out = run(engine, Optimizers.sgd(0.1).withGlobalClipnorm(1), new float[] {1f, 1f},
                    new float[] {1f}, gw, gb, biasFirst);
            String order = biasFirst ? " (bias updated first)" : "";
            assertClose(0.94, out[0][0][0], "weight[0] after step 1" + order);
            assertClose(1.0, out[0][0][1], "weight[1] after step 1" + order);
            assertClose(0.92, out[0][1][0], "bias after step 1" + order);
            assertClose(0.91, out[1][0][0], "weight[0] after step 2" + order);
            assertClose(0.88, out[1][1][0], "bias after step 2" + order);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void globalClipnormNeedsTheParameters(String engine) {
        try (NDManager manager = TestEngines.manager(engine)) {
            Optimizer unbound = Optimizers.adam(0.1).withGlobalClipnorm(1).toDjl();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> unbound.update("w", manager.create(new float[] {1f}), manager.create(new float[] {1f})));
            assertEquals("global_clipnorm needs every gradient of the step: make the optimizer with "
                    + "OptimizerSpec.toDjl(parameters), as fit does", e.getMessage());
        }
    }
}
