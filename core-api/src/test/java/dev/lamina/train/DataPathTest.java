package dev.lamina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.testing.SystemProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two ways a fit moves data give the same numbers to the last bit: the data copied to the
 * engine once and each shuffled batch gathered there, or (over the budget) gathered in Java
 * memory a batch ahead on a second thread. The running means kept on the engine are those of
 * adding up in Java, and evaluation and prediction, with their own batch sizes, agree too.
 */
class DataPathTest {
    private static Dataset data() {
        Random r = new Random(3);
        int n = 100;
        float[] x = new float[n * 6];
        float[] y = new float[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) r.nextGaussian();
            }
            y[i] = x[i * 6] + x[i * 6 + 1] > 0 ? 1 : (x[i * 6 + 2] > 0 ? 2 : 0);
            w[i] = 0.5f + r.nextFloat();
        }
        return new Dataset("d", new Tensor(x, new Shape(6)), new Tensor(y, new Shape()))
                .withSampleWeights(w);
    }

    private record Outcome(List<Map<String, Double>> history, List<float[]> weights,
            Map<String, Double> evaluation, float[] predictions) {}

    private static Outcome train(String engine, String budgetMib) {
        return SystemProperties.with(Budgets.DATA_PROPERTY, budgetMib, () -> train(engine));
    }

    private static Outcome train(String engine) {
        try (Sequential m = new Sequential("paths").input(6)) {
            m.add(new Dense(16, "relu")).add(new Dropout(0.3)).add(new Dense(3));
            m.engine(engine).seed(7);
            m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            Dataset d = data();
            History h = m.fit(d, FitOptions.defaults().epochs(3).batchSize(16)
                    .validationSplit(0.2));
            List<Map<String, Double>> epochs = new ArrayList<>();
            for (int i = 0; i < h.epochs(); i++) {
                epochs.add(h.epoch(i));
            }
            List<float[]> weights = new ArrayList<>();
            for (Pair<String, Parameter> p : m.block().getParameters()) {
                weights.add(p.getValue().getArray().toFloatArray());
            }
            return new Outcome(epochs, weights, m.evaluate(d, 16),
                    m.predict(d, 16).data());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void onTheEngineAndFromJavaMemoryTheNumbersAreTheSame(String engine) {
        Outcome resident = train(engine, "1024");
        Outcome java = train(engine, "0");
        assertEquals(java.history(), resident.history());
        assertEquals(java.weights().size(), resident.weights().size());
        for (int i = 0; i < java.weights().size(); i++) {
            assertArrayEquals(java.weights().get(i), resident.weights().get(i));
        }
        assertEquals(java.evaluation(), resident.evaluation());
        assertArrayEquals(java.predictions(), resident.predictions());
        assertEquals(3, resident.history().size());
    }
}
