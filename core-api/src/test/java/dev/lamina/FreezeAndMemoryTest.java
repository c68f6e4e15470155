package dev.lamina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import dev.lamina.train.FitOptions;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Freezing layers (batch norm included), and native memory that stays flat across epochs. */
class FreezeAndMemoryTest {
    static Dataset data(int n) {
        Random r = new Random(9);
        float[] x = new float[n * 8];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = x[i * 8] > 0 ? 1 : 0;
        }
        return new Dataset("d", new Tensor(x, new Shape(8)), Tensor.scalars(y));
    }

    static Sequential withBatchNorm(String engine) {
        Sequential m = new Sequential("bn").input(8);
        m.add(new Dense(16, "relu"))
                .add("bn", LayerTypes.parse(ConfigNode.of(Map.of("batch_norm", Map.of()))))
                .add("head", new Dense(2));
        m.engine(engine).seed(5);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    static float[] values(Sequential m, String layer, String param) {
        for (Pair<String, Parameter> p : m.layerBlock(layer).getParameters()) {
            if (p.getKey().endsWith(param)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + param + " in " + layer);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aFrozenLayerKeepsItsWeightsAndStatisticsWhileOthersTrain(String engine) {
        try (Sequential m = withBatchNorm(engine)) {
            m.build();
            m.setTrainable("bn", false).setTrainable("dense", false);
            float[] dense = values(m, "dense", "weight");
            float[] gamma = values(m, "bn", "gamma");
            float[] mean = values(m, "bn", "moving_mean");
            float[] head = values(m, "head", "weight");
            m.fit(data(128), FitOptions.defaults().epochs(2).batchSize(32));
            assertArrayEquals(dense, values(m, "dense", "weight"));
            assertArrayEquals(gamma, values(m, "bn", "gamma"));
            assertArrayEquals(mean, values(m, "bn", "moving_mean"), "moving statistics stop too");
            assertFalse(java.util.Arrays.equals(head, values(m, "head", "weight")));
            assertTrue(m.isFrozen("bn"));
            assertEquals(m.countParameters() - 16 * 8 - 16 - 4 * 16, m.countTrainableParameters());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void unfreezingABatchNormTrainsItAgainWithoutTouchingItsStatisticsFlags(String engine) {
        try (Sequential m = withBatchNorm(engine)) {
            m.build();
            m.setTrainable("bn", false).setTrainable("bn", true);
            float[] mean = values(m, "bn", "moving_mean");
            for (Pair<String, Parameter> p : m.layerBlock("bn").getParameters()) {
                boolean stat = p.getKey().contains("moving");
                assertEquals(!stat, p.getValue().requiresGradient(), p.getKey());
            }
            m.fit(data(128), FitOptions.defaults().epochs(1).batchSize(32));
            assertFalse(java.util.Arrays.equals(mean, values(m, "bn", "moving_mean")));
        }
    }

    static int arrays(NDManager manager) {
        int n = ((BaseNDManager) manager).getManagedArrays().size();
        return n;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void nativeArraysDoNotGrowWithEpochs(String engine) {
        try (Sequential m = withBatchNorm(engine)) {
            Dataset d = data(256);
            m.fit(d, FitOptions.defaults().epochs(1).batchSize(16).validationSplit(0.25));
            NDManager root = m.djlModel().getNDManager();
            int after1 = arrays(root);
            m.fit(d, FitOptions.defaults().epochs(5).batchSize(16).validationSplit(0.25));
            m.evaluate(d);
            m.predict(d);
            assertEquals(after1, arrays(root), "arrays left in the model's manager");
        }
    }
}
