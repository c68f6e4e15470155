package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.layers.Conv2d;
import dev.lamina.layers.Dense;
import dev.lamina.layers.GlobalAvgPool;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.models.layers.Inception;
import dev.lamina.models.layers.Residual;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** residual and inception as layers of a Sequential model: build, summary, fit, save and load. */
class ContainerModelTest {
    @TempDir
    Path tmp;

    /** 8×8 grey images; class c has a bright 3×3 patch in corner c, plus noise. */
    static Dataset patches(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 64];
        float[] y = new float[n];
        int[][] corners = {{0, 0}, {0, 5}, {5, 0}};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 64; j++) {
                x[i * 64 + j] = (float) (r.nextGaussian() * 0.3);
            }
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    x[i * 64 + (corners[c][0] + a) * 8 + corners[c][1] + b] += 1.5f;
                }
            }
        }
        return new Dataset("patches", new Tensor(x, new Shape(1, 8, 8)), Tensor.scalars(y));
    }

    static Sequential model(String engine) {
        Sequential m = new Sequential("resnet_inception").input(1, 8, 8);
        m.add(new Conv2d(4, 3, 1, "same", "relu"))
                .add(new Residual(new Conv2d(8, 3, 2, "same", "relu"),
                        new Conv2d(8, 3, 1, "same", "linear")))
                .add(new Residual(List.of(new Conv2d(8, 3, 1, "same", "linear")), "relu", true))
                .add(new Inception(4, 4, 4, 2, 2, 2))
                .add(new GlobalAvgPool())
                .add(new Dense(3));
        m.engine(engine).seed(5);
        m.compile(Optimizers.adam(0.01), Losses.softmaxCrossEntropy(), Metrics.accuracy());
        return m;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void buildsCountsParametersAndTrains(String engine) {
        try (Sequential m = model(engine)) {
            String s = m.summary();
            long conv = 9 * 1 * 4 + 4;
            long residual = (9 * 4 * 8 + 8) + (9 * 8 * 8 + 8) + (4 * 8 + 8); // F + 1×1 projection
            long preAct = 4 * 8 + (9 * 8 * 8 + 8); // batch norm (gamma, beta, 2 moving) + conv
            long inception = (8 * 4 + 4) + (8 * 4 + 4) + (9 * 4 * 4 + 4) + (8 * 2 + 2)
                    + (25 * 2 * 2 + 2) + (8 * 2 + 2);
            long dense = 12 * 3 + 3;
            assertEquals(conv + residual + preAct + inception + dense, m.countParameters());
            assertEquals(1_973, m.countParameters());
            assertEquals(1_973 - 16, m.countTrainableParameters());
            assertTrue(s.contains("residual (residual)"), s);
            assertTrue(s.contains("residual_1 (residual)"), s);
            assertTrue(s.contains("inception (inception)"), s);
            assertTrue(s.contains("(None, 8, 4, 4)"), s);
            assertTrue(s.contains("(None, 12, 4, 4)"), s);
            assertTrue(s.contains("Total params: 1,973"), s);
            assertTrue(s.contains("Non-trainable params: 16"), s);
            History h = m.fit(patches(96, 1), FitOptions.defaults().epochs(6).batchSize(16));
            List<Double> loss = h.get("loss");
            assertTrue(loss.get(loss.size() - 1) < loss.get(0) * 0.8, "loss falls: " + loss);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void saveLoadPredictsTheSameNumbers(String engine) throws IOException {
        Dataset d = patches(30, 2);
        Path dir = tmp.resolve("m-" + engine);
        float[] before;
        try (Sequential m = model(engine)) {
            m.fit(patches(48, 3), FitOptions.defaults().epochs(2).batchSize(16));
            before = m.predict(d).data();
            m.save(dir);
        }
        try (Model back = Model.load(dir, Backend.of(engine, "cpu"));
                Sequential fresh = model(engine)) {
            assertArrayEquals(before, back.predict(d).data(), 1e-5f);
            assertEquals(fresh.architecture(), back.architecture()); // nested layers as maps
        }
        String other = engine.equalsIgnoreCase("pytorch") ? "mxnet" : "pytorch";
        try (Model back = Model.load(dir, Backend.of(other, "cpu"))) {
            assertArrayEquals(before, back.predict(d).data(), 1e-4f);
        }
    }
}
