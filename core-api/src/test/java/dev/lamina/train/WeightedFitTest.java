package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.LossSpec;
import dev.lamina.losses.Losses;
import dev.lamina.losses.Reduction;
import dev.lamina.optimizers.Optimizers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keras's sample_weight and class_weight in fit: each sample's loss is multiplied by its weight,
 * then reduced (the mean divides by the batch size, not by the weights' sum). One sgd step of a
 * dense layer, the loss and the new weights worked out by hand, on both engines.
 */
class WeightedFitTest {
    private static final double TOL = 1e-5;
    /** Three samples of two features. */
    private static final float[] X = {1, 0, 0, 1, 1, 1};

    private static Sequential dense(String engine, int units, LossSpec loss, float[] kernel, float[] bias) {
        Sequential m = new Sequential("weighted").input(2);
        m.add(new Dense(units));
        m.engine(engine).seed(1);
        m.compile(Optimizers.sgd(0.1), loss);
        m.build();
        param(m, "weight").getArray().set(kernel);
        param(m, "bias").getArray().set(bias);
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

    private static void assertValues(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL, what + "[" + i + "]");
        }
    }

    private static FitOptions oneBatch() {
        return FitOptions.defaults().epochs(1).batchSize(3).shuffle(false);
    }

    private static Dataset regression() {
        return new Dataset("r", new Tensor(X, new Shape(2)), new Tensor(new float[] {1, 0, 2}, new Shape(1)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sampleWeightMultipliesEachSamplesLoss(String engine) {
        // kernel (0.5, −1), bias 0: predictions 0.5, −1, −0.5 for labels 1, 0, 2; errors −0.5, −1, −2.5;
        // squared 0.25, 1, 6.25; weights 2, 0, 0.5 give 0.5, 0, 3.125: loss 3.625/3 = 1.2083333
        // (divided by the batch size 3, not by the weights' sum 2.5, which would give 1.45).
        // dL/dp = (2/3)·w·e = (−2/3, 0, −5/6); dL/dkernel = (−2/3 − 5/6, −5/6) = (−1.5, −5/6);
        // dL/dbias = −1.5. sgd 0.1: kernel (0.65, −0.9166667), bias 0.15.
        try (Sequential m = dense(engine, 1, Losses.meanSquaredError(), new float[] {0.5f, -1}, new float[] {0})) {
            History h = m.fit(regression(), oneBatch().sampleWeight(2, 0, 0.5f));
            assertEquals(3.625 / 3, h.last("loss"), TOL);
            assertValues(new double[] {0.65, -1 + 0.5 / 6}, param(m, "weight").getArray().toFloatArray(), "kernel");
            assertValues(new double[] {0.15}, param(m, "bias").getArray().toFloatArray(), "bias");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sumReductionSumsTheWeightedLosses(String engine) {
        // the same weighted losses summed: 3.625; the gradient is 3 times the mean's:
        // kernel (0.5 + 0.45, −1 + 0.25) = (0.95, −0.75), bias 0.45
        try (Sequential m = dense(engine, 1, Losses.meanSquaredError().withReduction(Reduction.SUM),
                new float[] {0.5f, -1}, new float[] {0})) {
            History h = m.fit(regression(), oneBatch().sampleWeight(2, 0, 0.5f));
            assertEquals(3.625, h.last("loss"), TOL);
            assertValues(new double[] {0.95, -0.75}, param(m, "weight").getArray().toFloatArray(), "kernel");
            assertValues(new double[] {0.45}, param(m, "bias").getArray().toFloatArray(), "bias");
        }
    }

    /**
     * Kernel and bias 0: every sample's logits are (0, 0), softmax (½, ½), loss ln 2. Labels 0, 1, 1
     * with class_weight {0: 1, 1: 3} weigh 1, 3, 3: loss ln 2·7/3. dL/dz = w/3·(softmax − onehot):
     * (−1/6, 1/6), (½, −½), (½, −½). dL/dkernel[o][j] = Σ dz[o]·x[j]: row 0 (1/3, 1), row 1
     * (−1/3, −1); dL/dbias (5/6, −5/6). sgd 0.1: kernel (−1/30, −0.1), (1/30, 0.1); bias (−1/12, 1/12).
     */
    private static void assertClassWeighted(Sequential m, History h) {
        assertEquals(Math.log(2) * 7 / 3, h.last("loss"), TOL);
        assertValues(new double[] {-1.0 / 30, -0.1, 1.0 / 30, 0.1}, param(m, "weight").getArray().toFloatArray(),
                "kernel");
        assertValues(new double[] {-1.0 / 12, 1.0 / 12}, param(m, "bias").getArray().toFloatArray(), "bias");
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void classWeightWeighsEachSampleByItsIntegerLabel(String engine) {
        try (Sequential m = dense(engine, 2, Losses.softmaxCrossEntropy(), new float[4], new float[2])) {
            Dataset data = new Dataset("c", new Tensor(X, new Shape(2)), new Tensor(new float[] {0, 1, 1}, new Shape()));
            assertClassWeighted(m, m.fit(data, oneBatch().classWeight(Map.of(0, 1.0, 1, 3.0))));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void classWeightTakesTheArgmaxOfOneHotLabels(String engine) {
        try (Sequential m = dense(engine, 2, Losses.softmaxCrossEntropyOneHot(), new float[4], new float[2])) {
            Dataset data = new Dataset("c", new Tensor(X, new Shape(2)),
                    new Tensor(new float[] {1, 0, 0, 1, 0, 1}, new Shape(2)));
            // class 0 is not named: it weighs 1, as in Keras
            assertClassWeighted(m, m.fit(data, oneBatch().classWeight(Map.of(1, 3.0))));
        }
    }

    @Test
    void badWeightsAreRefusedWithTheFix() {
        try (Sequential m = dense("PyTorch", 2, Losses.softmaxCrossEntropy(), new float[4], new float[2])) {
            Dataset data = new Dataset("c", new Tensor(X, new Shape(2)), new Tensor(new float[] {0, 1, 1}, new Shape()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(data, oneBatch().classWeight(Map.of(0, 1.0, 2, 5.0))));
            assertEquals("class_weight names class 2, but model 'weighted' has 2 classes (0 to 1, from its output "
                    + "of shape (2) per sample)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(data, oneBatch().sampleWeight(1, 2)));
            assertEquals("sample_weight has 2 values, data set 'c' has 3 samples: give one weight per sample",
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.defaults().sampleWeight(1, -0.5f));
        assertEquals("sample_weight[1] is -0.5: expected a finite number >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().classWeight(Map.of(0, -1.0)));
        assertEquals("class_weight[0] is -1.0: expected a finite number >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().classWeight(Map.of(-1, 1.0)));
        assertEquals("class_weight keys are class ids >= 0, received -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.defaults().sampleWeight(1, 2).classWeight(Map.of(0, 2.0)));
        assertEquals("class_weight and sample_weight cannot both be given, as in Keras: multiply each sample's "
                + "weight by its class's weight and give sample_weight alone", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void reductionNoneIsForEvaluateNotFit(String engine) {
        // evaluate reports the mean of the per-sample losses (0.25 + 1 + 6.25)/3 = 2.5, as Keras's loss tracker
        try (Sequential m = dense(engine, 1, Losses.meanSquaredError().withReduction(Reduction.NONE),
                new float[] {0.5f, -1}, new float[] {0})) {
            assertEquals(2.5, m.evaluate(regression()).get("loss"), TOL);
            // and a weighted data set is weighted there too: (0.5 + 0 + 3.125)/3
            assertEquals(3.625 / 3, m.evaluate(regression().withSampleWeights(2, 0, 0.5f)).get("loss"), TOL);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(regression(), oneBatch()));
            assertEquals("loss 'mean_squared_error' has reduction none: it gives one loss per sample, and fit needs "
                    + "one number to minimise; use sum_over_batch_size (the mean, the default) or sum. reduction none "
                    + "is for calling the loss directly and for evaluate", e.getMessage());
        }
    }
}
