package dev.lamina.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.engine.Backend;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Reshape;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GanTest {
    @TempDir
    Path tmp;

    /** n points of a 2-D Gaussian with mean (2, −1) and standard deviations (0.5, 1). */
    static Dataset gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) (2 + 0.5 * r.nextGaussian());
            x[2 * i + 1] = (float) (-1 + r.nextGaussian());
        }
        return Dataset.unlabelled("gaussian", new Tensor(x, new Shape(2)));
    }

    static Gan toy(String engine, int dSteps) {
        Sequential g = new Sequential("generator").input(4);
        g.add(new Dense(16, "relu")).add(new Dense(2));
        Sequential d = new Sequential("discriminator").input(2);
        d.add(new Dense(16, "relu")).add(new Dense(1, "sigmoid"));
        g.engine(engine).seed(11);
        d.engine(engine).seed(12);
        g.compile(Optimizers.adam(2e-3, 0.5, 0.999, 1e-7), Losses.binaryCrossentropy());
        d.compile(Optimizers.adam(2e-3, 0.5, 0.999, 1e-7), Losses.binaryCrossentropy());
        return new Gan(g, d, new Gan.Settings(4, dSteps, 1.0, false));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void samplesApproachTheMeanAndVarianceOfAToyDistribution(String engine) {
        try (Gan gan = toy(engine, 1)) {
            Tensor before = gan.sample(2000, 5);
            History h = gan.fit(gaussian(2048, 3), FitOptions.defaults().epochs(25).batchSize(64));
            assertEquals(List.of("d_loss", "g_loss", "d_real", "d_fake"), h.names());
            assertEquals(25, h.epochs());
            double[][] m = moments(gan.sample(2000, 5));
            double[][] m0 = moments(before);
            // tolerance: means within 0.25 of (2, −1), standard deviations within 35% of
            // (0.5, 1); the untrained generator is far from both
            String what = engine + ": mean " + java.util.Arrays.toString(m[0]) + ", sd "
                    + java.util.Arrays.toString(m[1]) + " (untrained: mean "
                    + java.util.Arrays.toString(m0[0]) + ", sd " + java.util.Arrays.toString(m0[1])
                    + "); history " + h;
            assertEquals(2, m[0][0], 0.25, what);
            assertEquals(-1, m[0][1], 0.25, what);
            assertEquals(0.5, m[1][0], 0.175, what);
            assertEquals(1, m[1][1], 0.35, what);
            assertTrue(Math.abs(m0[0][0] - 2) > 1, what);
            // at the equilibrium the discriminator cannot tell: both scores near one half
            assertEquals(0.5, h.last("d_real"), 0.15, what);
            assertEquals(0.5, h.last("d_fake"), 0.15, what);
        }
    }

    /** {means, standard deviations} of each column. */
    static double[][] moments(Tensor t) {
        int n = t.size();
        int w = t.sampleSize();
        double[][] out = new double[2][w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                out[0][j] += t.data()[i * w + j] / (double) n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                double d = t.data()[i * w + j] - out[0][j];
                out[1][j] += d * d / n;
            }
        }
        for (int j = 0; j < w; j++) {
            out[1][j] = Math.sqrt(out[1][j]);
        }
        return out;
    }

    static Map<String, float[]> weights(Model m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : m.block().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    static void assertSame(Map<String, float[]> a, Map<String, float[]> b, String what) {
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), what + ": " + k));
    }

    static boolean allMoved(Map<String, float[]> a, Map<String, float[]> b) {
        return a.keySet().stream().allMatch(k -> !java.util.Arrays.equals(a.get(k), b.get(k)));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void eachModelsWeightsMoveOnlyInItsOwnStep(String engine) {
        Dataset data = gaussian(16, 1);
        try (Gan gan = toy(engine, 2)) {
            // the discriminator by plain SGD: its update is exactly w − 0.1·gradient
            gan.discriminator().compile(Optimizers.sgd(0.1), Losses.binaryCrossentropy());
            AdversarialStep step = new AdversarialStep(gan);
            step.begin(gan, 16);
            step.beginEpoch();
            NDManager root = gan.djlModel().getNDManager();
            int[] all = java.util.stream.IntStream.range(0, 16).toArray();
            Map<String, float[]> g0 = weights(gan.generator());
            Map<String, float[]> d0 = weights(gan.discriminator());
            try (NDManager bm = root.newSubManager()) {
                step.compute(bm, data, all);
                assertSame(g0, weights(gan.generator()), "compute changes no weight");
                assertSame(d0, weights(gan.discriminator()), "compute changes no weight");
                step.apply(); // d_steps 2: the discriminator's update alone
            }
            Map<String, float[]> g1 = weights(gan.generator());
            Map<String, float[]> d1 = weights(gan.discriminator());
            assertSame(g0, g1, "the discriminator's step moved the generator");
            assertTrue(allMoved(d0, d1), "the discriminator learns in its step");
            try (NDManager bm = root.newSubManager()) {
                step.compute(bm, data, all);
                Map<String, float[]> expected = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : gan.discriminator().block().getParameters()) {
                    NDArray w = p.getValue().getArray();
                    expected.put(p.getKey(), w.sub(w.getGradient().mul(0.1f)).toFloatArray());
                }
                step.apply(); // the discriminator's update, then the generator's
                Map<String, float[]> d2 = weights(gan.discriminator());
                for (String k : expected.keySet()) {
                    assertArrayEquals(expected.get(k), d2.get(k), 1e-6f,
                            "the generator's step moved the discriminator: " + k);
                }
            }
            assertTrue(allMoved(g1, weights(gan.generator())), "the generator learns in its step");
            step.close();
        }
    }

    @Test
    void mismatchedModelsAreRefusedNamingTheFix() {
        Sequential g = new Sequential("g").input(8);
        g.add(new Dense(784, "sigmoid"));
        Sequential d = new Sequential("d").input(1, 28, 28);
        d.add(new dev.lamina.layers.Flatten()).add(new Dense(1, "sigmoid"));
        var shape = assertThrows(IllegalArgumentException.class,
                () -> new Gan(g, d, Gan.Settings.of(8)));
        assertEquals("the generator's output (784) does not match the discriminator's input"
                + " (1, 28, 28): end the generator with reshape: {target_shape: [1, 28, 28]}, or"
                + " give the discriminator input [784]", shape.getMessage());
        var noise = assertThrows(IllegalArgumentException.class,
                () -> new Gan(g, d, Gan.Settings.of(100)));
        assertEquals("the generator's input is (8) but noise is 100: give the generator input"
                + " [100], or set noise to its size", noise.getMessage());
        Sequential g2 = new Sequential("g2").input(8);
        g2.add(new Dense(4));
        Sequential d2 = new Sequential("d2").input(4);
        d2.add(new Dense(10, "softmax"));
        var score = assertThrows(IllegalArgumentException.class,
                () -> new Gan(g2, d2, Gan.Settings.of(8)));
        assertEquals("the discriminator must give one score per sample, shape (1); it gives (10):"
                + " end it with dense: {units: 1, activation: sigmoid}", score.getMessage());
        var smooth = assertThrows(IllegalArgumentException.class,
                () -> new Gan.Settings(8, 1, 0.3, false));
        assertTrue(smooth.getMessage().startsWith("gan.label_smoothing: expected the label of real"),
                smooth.getMessage());
        g.close();
        d.close();
        g2.close();
        d2.close();
    }

    @Test
    void aSavedGanLoadsAndDrawsTheSameSamples() throws Exception {
        Path dir = tmp.resolve("gan");
        Tensor before;
        try (Gan gan = toy("PyTorch", 1)) {
            gan.fit(gaussian(128, 2), FitOptions.defaults().epochs(1).batchSize(32));
            before = gan.sample(8, 3);
            gan.save(dir);
        }
        try (Gan back = Gan.load(dir, Backend.of("mxnet"))) {
            assertEquals(new Gan.Settings(4, 1, 1.0, false), back.settings());
            assertArrayEquals(before.data(), back.sample(8, 3).data(), 1e-5f);
        }
        // each model alone is an ordinary saved model
        try (Model g = Model.load(dir.resolve("generator"))) {
            assertEquals(List.of(new Shape(4)), g.inputShapes());
        }
    }
}
