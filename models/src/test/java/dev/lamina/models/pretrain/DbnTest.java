package dev.lamina.models.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lamina.Model;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.metrics.Metrics;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.spec.ConfigException;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.LayerTypes;
import dev.lamina.spec.SpecException;
import dev.lamina.testing.TestEngines;
import dev.lamina.train.FitOptions;
import dev.lamina.train.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DbnTest {
    static float[] uniform(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theUnrolledForwardPassIsTheStacksUpPassAndSurvivesSaveAndLoad(String engine,
            @TempDir Path dir) throws Exception {
        // a 6-5-4 DBN with Java-drawn weights: predict (the unrolled network) against the up
        // pass p(h|v) of each RBM in turn, computed by RbmParams and by hand in Java
        Random r = new Random(11);
        float[] x = uniform(r, 3 * 6);
        try (Sequential m = new Sequential("dbn")) {
            m.input(6).add("dbn", new Dbn(5, 4)).engine(engine).seed(3).build();
            StackBlock b = (StackBlock) m.layerBlock("dbn");
            assertEquals(List.of("rbm1_weight", "rbm1_bias", "rbm1_visible_bias", "rbm2_weight",
                    "rbm2_bias", "rbm2_visible_bias"), b.getParameters().keys());
            double[][] w1 = new double[5][6];
            double[][] w2 = new double[4][5];
            double[] c1 = new double[5];
            double[] c2 = new double[4];
            fill(b.layer(0, false), w1, c1, r);
            fill(b.layer(1, false), w2, c2, r);
            float[] predicted = m.predict(new Tensor(x, new Shape(6))).data();
            Dataset up = Greedy.up(b.layer(1, false), Greedy.up(b.layer(0, false),
                    Dataset.unlabelled("x", new Tensor(x, new Shape(6)))));
            assertArrayEquals(up.inputs().get(0).data(), predicted, 1e-6f);
            for (int n = 0; n < 3; n++) {
                double[] h = new double[5];
                for (int j = 0; j < 5; j++) {
                    double a = c1[j];
                    for (int i = 0; i < 6; i++) {
                        a += w1[j][i] * x[n * 6 + i];
                    }
                    h[j] = sigmoid(a);
                }
                for (int k = 0; k < 4; k++) {
                    double a = c2[k];
                    for (int j = 0; j < 5; j++) {
                        a += w2[k][j] * h[j];
                    }
                    assertEquals(sigmoid(a), predicted[n * 4 + k], 1e-5);
                }
            }
            m.compile(Optimizers.sgd(0.1), Losses.meanSquaredError());
            m.save(dir.resolve("model"));
            try (Model back = Model.load(dir.resolve("model"))) {
                assertArrayEquals(predicted, back.predict(new Tensor(x, new Shape(6))).data(), 1e-6f);
                assertEquals(new Dbn(5, 4), ((Sequential) back).layers().get(0).spec());
                // the visible biases (unused by the forward pass) are saved too, for sampling
                assertArrayEquals(
                        b.layer(0, false).visibleBias().toFloatArray(),
                        ((StackBlock) back.layerBlock("dbn")).layer(0, false).visibleBias().toFloatArray());
            }
        }
    }

    /** Sets an RBM's weight, hidden and visible biases to draws from {@code r}, kept in Java. */
    static void fill(RbmParams p, double[][] w, double[] c, Random r) {
        float[] flat = new float[w.length * w[0].length];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = (float) r.nextGaussian();
            w[k / w[0].length][k % w[0].length] = flat[k];
        }
        float[] cc = new float[c.length];
        for (int j = 0; j < c.length; j++) {
            cc[j] = (float) (0.5 * r.nextGaussian());
            c[j] = cc[j];
        }
        p.weight().set(flat);
        p.hiddenBias().set(cc);
        p.visibleBias().set(uniform(r, w[0].length));
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void theAutoencoderGradientMatchesFiniteDifferences(String engine) {
        // float64, binary (cross-entropy) and gaussian (squared error) reconstructions of a
        // corrupted input: every entry of ∂W, ∂b, ∂c against central differences of the loss
        for (boolean gaussian : new boolean[] {false, true}) {
            try (NDManager m = TestEngines.manager(engine)) {
                Random r = new Random(gaussian ? 2 : 1);
                double[] w = new double[3 * 4];
                double[] b = new double[4];
                double[] c = new double[3];
                double[] x = new double[2 * 4];
                for (int i = 0; i < w.length; i++) {
                    w[i] = r.nextGaussian();
                }
                for (int i = 0; i < 4; i++) {
                    b[i] = 0.3 * r.nextGaussian();
                }
                for (int i = 0; i < 3; i++) {
                    c[i] = 0.3 * r.nextGaussian();
                }
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextDouble();
                }
                NDArray xs = m.create(x, new Shape(2, 4));
                NDArray corrupted = xs.mul(m.create(new double[] {1, 0, 1, 1, 0, 1, 1, 1},
                        new Shape(2, 4)));
                double[][] params = {w, b, c};
                NDArray[] grads = new NDArray[3];
                AutoencoderStep.lossAndGradient(params(m, w, b, c, gaussian), xs, corrupted, grads);
                double eps = 1e-6;
                for (int p = 0; p < 3; p++) {
                    double[] analytic = grads[p].toDoubleArray();
                    for (int k = 0; k < params[p].length; k++) {
                        double keep = params[p][k];
                        params[p][k] = keep + eps;
                        double up = AutoencoderStep.lossAndGradient(params(m, w, b, c, gaussian),
                                xs, corrupted, null);
                        params[p][k] = keep - eps;
                        double down = AutoencoderStep.lossAndGradient(params(m, w, b, c, gaussian),
                                xs, corrupted, null);
                        params[p][k] = keep;
                        // the step returns the ascent direction, minus the loss's gradient
                        assertEquals(-(up - down) / (2 * eps), analytic[k], 1e-7,
                                (gaussian ? "gaussian" : "binary") + " parameter " + p + "[" + k + "]");
                    }
                }
            }
        }
    }

    static RbmParams params(NDManager m, double[] w, double[] b, double[] c, boolean gaussian) {
        return new RbmParams(m.create(w, new Shape(3, 4)), m.create(c), m.create(b), gaussian);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aPretrainedStackFineTunesAndOnlyItsEncodersTrain(String engine) {
        // two classes of 16-pixel images (bars on the left half or the right half, with noise):
        // the stacked denoising autoencoder pretrains (its loss falls), then fit fine-tunes the
        // whole to full accuracy; fit never touches the decoders' visible biases
        Random r = new Random(4);
        int n = 200;
        float[] x = new float[n * 16];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % 2;
            for (int i = 0; i < 16; i++) {
                boolean on = (i % 4 < 2) == (s % 2 == 0);
                x[s * 16 + i] = r.nextFloat() < 0.15 ? (on ? 0 : 1) : (on ? 1 : 0);
            }
        }
        Dataset data = new Dataset("bars", new Tensor(x, new Shape(16)), Tensor.scalars(y));
        PretrainSettings s = new PretrainSettings(15, 1, false, 0.1, 0.5, 0, 10, 0.1);
        try (Sequential m = new Sequential("sae")) {
            m.input(16).add("sae", new StackedAutoencoder(8, 4).withNoise(0.2).withPretrain(s))
                    .add(new Dense(2)).engine(engine).seed(2);
            m.compile(Optimizers.sgd(0.5), Losses.softmaxCrossEntropy(), Metrics.accuracy());
            assertTrue(m.hasPretraining());
            Map<String, History> h = m.pretrain(data);
            assertEquals(List.of("sae/ae1", "sae/ae2"), List.copyOf(h.keySet()));
            for (History phase : h.values()) {
                assertEquals(List.of("loss", "val_loss", "learning_rate"), phase.names());
                assertTrue(phase.last("loss") < phase.get("loss").get(0), phase.toString());
            }
            StackBlock b = (StackBlock) m.layerBlock("sae");
            float[] decoderBias = b.layer(0, false).visibleBias().toFloatArray();
            m.setTrainable(false).setTrainable(true); // unfreezing leaves the visible biases fixed
            History fit = m.fit(data, FitOptions.defaults().epochs(10).batchSize(20));
            assertTrue(fit.last("accuracy") > 0.95, fit.toString());
            assertArrayEquals(decoderBias, b.layer(0, false).visibleBias().toFloatArray());
        }
    }

    @Test
    void settingsParseBackAndBadOnesAreRefusedAtTheirSetting() {
        PretrainSettings p = new PretrainSettings(2, 3, true, 0.01, 0.9, 1e-4, 32, 0.1);
        for (var spec : List.of(new Dbn(500, 500), new Dbn(List.of(20, 10), true, p),
                new Rbm(7), new Rbm(7, true, p), new StackedAutoencoder(30, 20).withNoise(0.3),
                new StackedAutoencoder(List.of(5), true, 0, p.withCd(1, false)))) {
            assertEquals(spec, LayerTypes.catalog().parse(ConfigNode.of(spec.toMap())));
        }
        var k = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("dbn", Map.of("units", List.of(10), "pretrain", Map.of("cd_k", 0)))));
        assertTrue(k.getMessage().endsWith("expected a positive number of Gibbs steps, received"
                + " cd_k=0"), k.getMessage());
        assertTrue(k.getMessage().contains("cd_k"), k.getMessage());
        var cd = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(Map.of(
                "stacked_autoencoder", Map.of("units", List.of(10), "pretrain",
                        Map.of("persistent", true)))));
        assertTrue(cd.getMessage().contains("has no setting 'persistent'"), cd.getMessage());
        var visible = assertThrows(ConfigException.class, () -> LayerTypes.catalog().parse(
                Map.of("rbm", Map.of("units", 10, "visible", "gausian"))));
        assertTrue(visible.getMessage().contains("expected one of binary, gaussian, received"
                + " visible=gausian"), visible.getMessage());
        var units = assertThrows(SpecException.class, () -> new Dbn(500, 0));
        assertEquals("dbn.units: expected positive integers, received units=[500, 0]",
                units.getMessage());
        var noise = assertThrows(SpecException.class,
                () -> new StackedAutoencoder(5).withNoise(1));
        assertEquals("stacked_autoencoder.noise: expected a fraction in [0, 1), received noise=1.0",
                noise.getMessage());
        var shape = assertThrows(dev.lamina.spec.ShapeException.class,
                () -> new Dbn(5).outputShape(new Shape(1, 28, 28)));
        assertTrue(shape.getMessage().contains("put flatten before it"), shape.getMessage());
    }

    @Test
    void binaryVisibleUnitsRefuseInputsOutsideZeroToOne() {
        try (Sequential m = new Sequential("dbn")) {
            m.input(3).add(new Dbn(2)).seed(1);
            var e = assertThrows(IllegalArgumentException.class, () -> m.pretrain(
                    Dataset.unlabelled("raw", new Tensor(new float[] {0, 128, 255}, new Shape(3)))));
            assertEquals("layer 'dbn' (dbn) has binary visible units, which need inputs in"
                    + " [0, 1]; its inputs range over [0.0, 255.0]: scale them to [0, 1], or use"
                    + " visible: gaussian for standardised real values", e.getMessage());
        }
    }

    @Test
    void aGraphWithAPretrainingLayerRefusesToPretrainRatherThanSkipIt() {
        dev.lamina.spec.Node x = dev.lamina.spec.Input.of("x", 6);
        dev.lamina.spec.Node out = new Dense(2).on(dev.lamina.spec.Layer.of("stack", new Dbn(4)).on(x));
        try (dev.lamina.Functional g = new dev.lamina.Functional("graph", List.of(x), List.of(out))) {
            assertTrue(g.hasPretraining());
            var e = assertThrows(UnsupportedOperationException.class, () -> g.pretrain(
                    Dataset.unlabelled("x", new Tensor(new float[6], new Shape(6)))));
            assertEquals("model 'graph' is a graph with a layer that pretrains (stack (dbn)):"
                    + " pretraining runs on Sequential models only; build it as a Sequential, or"
                    + " pretrain the stack in a Sequential and load its weights", e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void samplesHaveTheVisibleShapeAndLieInZeroToOne(String engine, @TempDir Path dir)
            throws Exception {
        try (Sequential m = new Sequential("dbn")) {
            m.input(16).add("dbn", new Dbn(6, 3)).engine(engine).seed(5).build();
            Tensor t = Dbn.sample(m, "dbn", 4, 10, null);
            assertEquals(4, t.size());
            assertEquals(new Shape(16), t.sampleShape());
            for (float v : t.data()) {
                assertTrue(v >= 0 && v <= 1, "sample value " + v);
            }
            Path png = dir.resolve("grid.png");
            SampleGrid.write(t, 4, 4, 2, png);
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
            assertEquals(2 * 5 + 1, img.getWidth()); // two 4-pixel images, a border of 1 around each
            assertEquals(2 * 5 + 1, img.getHeight());
            var e = assertThrows(IllegalArgumentException.class, () -> Dbn.sample(m, "nope", 1, 1, null));
            assertTrue(e.getMessage().contains("sampling needs a dbn or rbm layer"), e.getMessage());
            assertTrue(Files.size(png) > 0);
        }
    }
}
