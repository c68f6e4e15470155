package dev.lamina.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lamina.testing.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each loss against a hand computation in Java doubles, on both engines. */
class LossesTest {
    static final double TOL = 1e-5;

    static final double[][] LOGITS = {{1, 2, 0.5}, {-1, 0, 3}, {0.2, -0.4, 0.1}};
    static final int[] IDS = {1, 2, 0};

    // ---- Java references -------------------------------------------------------------------

    static double[] logSoftmax(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - m);
        }
        double lse = m + Math.log(s);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - lse;
        }
        return out;
    }

    static double[] softmax(double[] x) {
        double[] l = logSoftmax(x);
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.exp(l[i]);
        }
        return l;
    }

    static double[][] map(double[][] x, java.util.function.UnaryOperator<double[]> f) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.apply(x[i]);
        }
        return out;
    }

    static double sparseCe(double[][] logp, int[] ids) {
        double s = 0;
        for (int i = 0; i < ids.length; i++) {
            s -= logp[i][ids[i]];
        }
        return s / ids.length;
    }

    static double[][] oneHot(int[] ids, int c) {
        double[][] out = new double[ids.length][c];
        for (int i = 0; i < ids.length; i++) {
            out[i][ids[i]] = 1;
        }
        return out;
    }

    // ---- NDArray helpers -------------------------------------------------------------------

    static NDArray arr(NDManager m, double[][] x) {
        int r = x.length;
        int c = x[0].length;
        float[] flat = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                flat[i * c + j] = (float) x[i][j];
            }
        }
        return m.create(flat, new Shape(r, c));
    }

    static NDArray arr(NDManager m, double... x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return m.create(f);
    }

    static NDArray ids(NDManager m, int[] ids) {
        double[] d = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            d[i] = ids[i];
        }
        return arr(m, d);
    }

    static double value(NDArray scalar) {
        assertEquals(0, scalar.getShape().dimension(), "a loss is a scalar, got " + scalar.getShape());
        return scalar.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    // ---- regression losses -----------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void meanSquaredAndAbsoluteError(String engine) {
        double[][] y = {{1, 2}, {3, 4}, {-1, 0.5}};
        double[][] p = {{1.5, 1}, {2, 5}, {0.25, 0.5}};
        double se = 0;
        double ae = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double d = p[i][j] - y[i][j];
                se += d * d;
                ae += Math.abs(d);
            }
        }
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(se / 6, value(Losses.meanSquaredError().compute(arr(m, y), arr(m, p))), TOL);
            assertEquals(ae / 6, value(Losses.meanAbsoluteError().compute(arr(m, y), arr(m, p))), TOL);
            // (batch) labels against (batch, 1) predictions
            NDArray col = arr(m, new double[][] {{0.5}, {2}, {-1}});
            assertEquals((0.25 + 0 + 4) / 3,
                    value(Losses.meanSquaredError().compute(arr(m, 1, 2, 1), col)), TOL);
        }
    }

    // ---- cross-entropies -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void softmaxCrossEntropyFromLogits(String engine) {
        double expected = sparseCe(map(LOGITS, LossesTest::logSoftmax), IDS);
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray logits = arr(m, LOGITS);
            assertEquals(expected, value(Losses.softmaxCrossEntropy().compute(ids(m, IDS), logits)), TOL);
            // (batch, 1) labels and integer labels give the same
            NDArray column = ids(m, IDS).reshape(3, 1);
            assertEquals(expected, value(Losses.softmaxCrossEntropy().compute(column, logits)), TOL);
            NDArray ints = m.create(IDS);
            assertEquals(expected, value(Losses.softmaxCrossEntropy().compute(ints, logits)), TOL);
            assertEquals(expected,
                    value(Losses.sparseCategoricalCrossentropy(true).compute(ids(m, IDS), logits)), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void sparseCategoricalFromProbabilities(String engine) {
        double[][] probs = map(LOGITS, LossesTest::softmax);
        double expected = sparseCe(map(LOGITS, LossesTest::logSoftmax), IDS);
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(expected,
                    value(Losses.sparseCategoricalCrossentropy().compute(ids(m, IDS), arr(m, probs))), TOL);
            // a zero probability at the label is clipped at 1e-7
            double[][] hard = {{0, 1, 0}, {0.5, 0.5, 0}};
            double clipped = (-Math.log(1 - 1e-7) - Math.log(1e-7)) / 2;
            assertEquals(clipped, value(Losses.sparseCategoricalCrossentropy()
                    .compute(arr(m, 1, 2), arr(m, hard))), 1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void categoricalCrossentropy(String engine) {
        double[][] soft = {{0.1, 0.7, 0.2}, {0, 0, 1}, {0.5, 0.25, 0.25}};
        double[][] logp = map(LOGITS, LossesTest::logSoftmax);
        double expected = 0;
        double smoothed = 0;
        double s = 0.1;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                expected -= soft[i][j] * logp[i][j];
                smoothed -= (soft[i][j] * (1 - s) + s / 3) * logp[i][j];
            }
        }
        expected /= 3;
        smoothed /= 3;
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray y = arr(m, soft);
            assertEquals(expected, value(Losses.categoricalCrossentropy().compute(y,
                    arr(m, map(LOGITS, LossesTest::softmax)))), TOL);
            assertEquals(expected, value(Losses.softmaxCrossEntropyOneHot().compute(y, arr(m, LOGITS))), TOL);
            assertEquals(smoothed, value(Losses.categoricalCrossentropy(true, s).compute(y, arr(m, LOGITS))),
                    TOL);
            // one-hot labels agree with the integer-id loss
            assertEquals(sparseCe(logp, IDS), value(Losses.softmaxCrossEntropyOneHot()
                    .compute(arr(m, oneHot(IDS, 3)), arr(m, LOGITS))), TOL);
            assertThrows(IllegalArgumentException.class,
                    () -> Losses.categoricalCrossentropy().compute(ids(m, IDS), arr(m, LOGITS)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void binaryCrossentropy(String engine) {
        double[] y = {1, 0, 1, 0, 0.3};
        double[] p = {0.9, 0.2, 0.6, 0.4, 0.5};
        double[] x = {2, -1, 0.5, -3, 0};
        double fromP = 0;
        double fromX = 0;
        for (int i = 0; i < y.length; i++) {
            fromP -= y[i] * Math.log(p[i]) + (1 - y[i]) * Math.log(1 - p[i]);
            double sig = 1 / (1 + Math.exp(-x[i]));
            fromX -= y[i] * Math.log(sig) + (1 - y[i]) * Math.log(1 - sig);
        }
        fromP /= y.length;
        fromX /= y.length;
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(fromP, value(Losses.binaryCrossentropy().compute(arr(m, y), arr(m, p))), TOL);
            assertEquals(fromX, value(Losses.binaryCrossentropy(true).compute(arr(m, y), arr(m, x))), TOL);
            // (batch) labels against (batch, 1) predictions
            assertEquals(fromX, value(Losses.binaryCrossentropy(true)
                    .compute(arr(m, y), arr(m, x).reshape(5, 1))), TOL);
            // probabilities of exactly 0 and 1 are clipped
            double clipped = -Math.log(1e-7) / 2;
            assertEquals(clipped, value(Losses.binaryCrossentropy().compute(arr(m, 1, 0), arr(m, 0, 0))),
                    1e-3);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void negativeLogLikelihood(String engine) {
        double[][] logp = map(LOGITS, LossesTest::logSoftmax);
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(sparseCe(logp, IDS),
                    value(Losses.negativeLogLikelihood().compute(ids(m, IDS), arr(m, logp))), TOL);
            // on raw numbers: −mean(x[label])
            assertEquals(-(2 + 3 + 0.2) / 3,
                    value(Losses.negativeLogLikelihood().compute(ids(m, IDS), arr(m, LOGITS))), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void hingeAndSquaredHinge(String engine) {
        double[] y01 = {1, 0, 1, 0};
        double[] pred = {0.3, -0.8, 1.5, 0.2};
        double h = 0;
        double sh = 0;
        for (int i = 0; i < 4; i++) {
            double yy = 2 * y01[i] - 1;
            double v = Math.max(1 - yy * pred[i], 0);
            h += v;
            sh += v * v;
        }
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(h / 4, value(Losses.hinge().compute(arr(m, y01), arr(m, pred))), TOL);
            assertEquals(sh / 4, value(Losses.squaredHinge().compute(arr(m, y01), arr(m, pred))), TOL);
            // labels already in {−1, 1} are used as they are
            assertEquals(h / 4, value(Losses.hinge().compute(arr(m, 1, -1, 1, -1), arr(m, pred))), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void labelsOutOfRangeAreRefused(String engine) {
        ai.djl.ndarray.types.Shape three = new ai.djl.ndarray.types.Shape(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy().checkLabels(
                        dev.lamina.data.Tensor.scalars(new float[] {0, 3, 1}), three));
        assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("label 1 is 3.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.negativeLogLikelihood()
                .checkLabels(dev.lamina.data.Tensor.scalars(new float[] {0, 1.5f}), three));
        Losses.softmaxCrossEntropy().checkLabels(
                dev.lamina.data.Tensor.scalars(new float[] {0, 2, 1}), three);
        try (NDManager m = TestEngines.manager(engine)) {
            // a wrong number of labels is still refused by the loss itself
            assertThrows(IllegalArgumentException.class,
                    () -> Losses.softmaxCrossEntropy().compute(arr(m, 0, 1), arr(m, LOGITS)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void float64PredictionsKeepTheirPrecision(String engine) {
        double expected = sparseCe(map(LOGITS, LossesTest::logSoftmax), IDS);
        try (NDManager m = TestEngines.manager(engine)) {
            double[] flat = new double[9];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(LOGITS[i], 0, flat, i * 3, 3);
            }
            NDArray logits = m.create(flat, new Shape(3, 3));
            NDArray loss = Losses.softmaxCrossEntropy().compute(ids(m, IDS), logits);
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT64, loss.getDataType());
            assertEquals(expected, value(loss), 1e-12);
        }
    }

    // ---- gradients and stability -----------------------------------------------------------

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverBatch(String engine) {
        double[][] sm = map(LOGITS, LossesTest::softmax);
        double[][] hot = oneHot(IDS, 3);
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray logits = arr(m, LOGITS);
            logits.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray loss = Losses.softmaxCrossEntropy().compute(ids(m, IDS), logits);
                gc.backward(loss);
            }
            float[] g = logits.getGradient().toFloatArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals((sm[i][j] - hot[i][j]) / 3, g[i * 3 + j], TOL, "d/dlogit[" + i + "][" + j + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void binaryCrossentropyFromLogitsGradientIsSigmoidMinusLabelOverCount(String engine) {
        double[] y = {1, 0, 1, 0};
        double[] x = {2, -1, 0.5, -3};
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray logits = arr(m, x);
            logits.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(Losses.binaryCrossentropy(true).compute(arr(m, y), logits));
            }
            float[] g = logits.getGradient().toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertEquals((1 / (1 + Math.exp(-x[i])) - y[i]) / 4, g[i], TOL);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void largeLogitsStayFinite(String engine) {
        double[][] big = {{1000, 0, -1000}, {0, 1000, 1000}};
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray logits = arr(m, big);
            logits.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                loss = Losses.softmaxCrossEntropy().compute(arr(m, 0, 2), logits);
                gc.backward(loss);
            }
            // float32 holds 1000 + log 2 only to its ulp (6e-5), so compare to 1e-4 here
            assertEquals(Math.log(2) / 2, value(loss), 1e-4);
            float[] g = logits.getGradient().toFloatArray();
            float[] expected = {0, 0, 0, 0, 0.25f, -0.25f};
            for (int i = 0; i < g.length; i++) {
                assertTrue(Float.isFinite(g[i]), "gradient " + i + " is " + g[i]);
                assertEquals(expected[i], g[i], TOL);
            }
            assertEquals(Math.log(2) / 2, value(Losses.softmaxCrossEntropyOneHot()
                    .compute(arr(m, new double[][] {{1, 0, 0}, {0, 0, 1}}), arr(m, big))), 1e-4);
            // binary from logits: x = 1000 with y = 0 costs 1000; x = −1000 with y = 0 costs 0
            double bce = value(Losses.binaryCrossentropy(true).compute(arr(m, 0, 0, 1), arr(m, 1000, -1000, 1000)));
            assertEquals(1000.0 / 3, bce, 1e-3);
        }
    }

    // ---- both engines give the same numbers ------------------------------------------------

    static List<Double> allLosses(String engine) {
        Random r = new Random(7);
        double[][] x = new double[4][5];
        double[][] soft = new double[4][5];
        double[] bin = new double[20];
        double[] prob = new double[20];
        int[] ids = new int[4];
        for (int i = 0; i < 4; i++) {
            ids[i] = r.nextInt(5);
            double s = 0;
            for (int j = 0; j < 5; j++) {
                x[i][j] = r.nextGaussian() * 3;
                soft[i][j] = r.nextDouble();
                s += soft[i][j];
                bin[i * 5 + j] = r.nextInt(2);
                prob[i * 5 + j] = 0.05 + 0.9 * r.nextDouble();
            }
            for (int j = 0; j < 5; j++) {
                soft[i][j] /= s;
            }
        }
        List<Double> out = new ArrayList<>();
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray logits = arr(m, x);
            NDArray probs = arr(m, soft);
            NDArray flat = arr(m, bin).reshape(4, 5);
            NDArray p = arr(m, prob).reshape(4, 5);
            for (String name : Losses.CATALOG.names()) {
                LossSpec loss = Losses.CATALOG.parse(name);
                NDArray v;
                if (loss instanceof SoftmaxCrossEntropy sce) {
                    v = loss.compute(ids(m, ids), sce.fromLogits() ? logits : probs);
                } else if (loss instanceof NegativeLogLikelihood) {
                    v = loss.compute(ids(m, ids), logits);
                } else if (loss instanceof CategoricalCrossentropy cce) {
                    v = loss.compute(probs, cce.fromLogits() ? logits : probs);
                } else if (loss instanceof BinaryCrossentropy || loss instanceof Poisson) {
                    v = loss.compute(flat, p);
                } else if (loss instanceof KlDivergence) {
                    v = loss.compute(probs, arr(m, soft).flip(1));
                } else {
                    v = loss.compute(flat, logits);
                }
                out.add(value(v));
            }
        }
        return out;
    }

    @Test
    void bothEnginesGiveTheSameNumbers() {
        List<Double> first = null;
        for (String engine : TestEngines.names().toList()) {
            List<Double> v = allLosses(engine);
            if (first == null) {
                first = v;
            } else {
                for (int i = 0; i < v.size(); i++) {
                    assertEquals(first.get(i), v.get(i), 1e-5 * Math.max(1, Math.abs(first.get(i))),
                            "loss " + List.copyOf(Losses.CATALOG.names()).get(i));
                }
            }
        }
    }

    // ---- Keras 3's further regression and distribution losses ----------------------------

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void huberLogCoshAndPoisson(String engine) {
        double[][] y = {{1, 2}, {3, 4}, {0, 0.5}};
        double[][] p = {{1.5, 0.2}, {2, 5.5}, {0.25, 0.5}};
        double huber = 0;
        double huber2 = 0;
        double logCosh = 0;
        double poisson = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double x = Math.abs(p[i][j] - y[i][j]);
                huber += x <= 1 ? 0.5 * x * x : 1 * (x - 0.5);
                huber2 += x <= 2 ? 0.5 * x * x : 2 * (x - 1);
                logCosh += Math.log(Math.cosh(p[i][j] - y[i][j]));
                poisson += p[i][j] - y[i][j] * Math.log(p[i][j] + 1e-7);
            }
        }
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(huber / 6, value(Losses.huber(1).compute(arr(m, y), arr(m, p))), TOL);
            assertEquals(huber2 / 6, value(Losses.huber(2).compute(arr(m, y), arr(m, p))), TOL);
            assertEquals(logCosh / 6, value(Losses.logCosh().compute(arr(m, y), arr(m, p))), TOL);
            assertEquals(poisson / 6, value(Losses.poisson().compute(arr(m, y), arr(m, p))), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void klDivergenceSumsOverTheLastAxisAndAveragesTheSamples(String engine) {
        double[][] y = {{0.2, 0.3, 0.5}, {1, 0, 0}};
        double[][] p = {{0.1, 0.6, 0.3}, {0.7, 0.2, 0.1}};
        double kl = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double yy = Math.min(Math.max(y[i][j], 1e-7), 1);
                double pp = Math.min(Math.max(p[i][j], 1e-7), 1);
                kl += yy * Math.log(yy / pp);
            }
        }
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(kl / 2, value(Losses.klDivergence().compute(arr(m, y), arr(m, p))),
                    TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void binaryCrossentropyWithLabelSmoothing(String engine) {
        double s = 0.2;
        double[] y = {1, 0, 1, 0, 0.3};
        double[] ys = {0.9, 0.1, 0.9, 0.1, 0.34}; // y·(1 − 0.2) + 0.2/2, written out
        double[] p = {0.9, 0.2, 0.6, 0.4, 0.5};
        double[] x = {2, -1, 0.5, -3, 0};
        double fromP = 0;
        double fromX = 0;
        for (int i = 0; i < y.length; i++) {
            fromP -= ys[i] * Math.log(p[i]) + (1 - ys[i]) * Math.log(1 - p[i]);
            double sig = 1 / (1 + Math.exp(-x[i]));
            fromX -= ys[i] * Math.log(sig) + (1 - ys[i]) * Math.log(1 - sig);
        }
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(fromP / 5, value(Losses.binaryCrossentropy(false, s)
                    .compute(arr(m, y), arr(m, p))), TOL);
            assertEquals(fromX / 5, value(Losses.binaryCrossentropy(true, s)
                    .compute(arr(m, y), arr(m, x))), TOL);
            // smoothing 1 makes every label 1/2: the loss is log 2 at p = 1/2, whatever the label
            assertEquals(Math.log(2), value(Losses.binaryCrossentropy(false, 1)
                    .compute(arr(m, 1, 0), arr(m, 0.5, 0.5))), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void cosineSimilarityIsMinusTheCosineOverTheLastAxis(String engine) {
        double[][] y = {{1, 0, 0}, {1, 2, 2}, {0, 0, 0}};
        double[][] p = {{2, 0, 0}, {-1, 0, 1}, {3, 4, 0}};
        // sample 1: same direction, −1; sample 2: (1, 2, 2)/3 · (−1, 0, 1)/√2 = (1/3)/√2, so
        // −0.2357; sample 3: a zero label stays zero (Keras clamps the squared norm at 1e-14), 0
        double expected = (-1 - (1 / 3.0) / Math.sqrt(2) + 0) / 3;
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(expected, value(Losses.cosineSimilarity().compute(arr(m, y), arr(m, p))),
                    TOL);
            // scaling either side changes nothing; opposite vectors give +1
            assertEquals(1, value(Losses.cosineSimilarity().compute(arr(m, new double[][] {{1, 2}}),
                    arr(m, new double[][] {{-3, -6}}))), TOL);
        }
    }

    @org.junit.jupiter.api.Test
    void huberTakesItsDeltaAsAPlainValueAndRefusesABadOne() {
        assertEquals(Losses.huber(0.5), Losses.parse(dev.lamina.spec.ConfigNode.of(
                java.util.Map.of("huber", 0.5))));
        dev.lamina.spec.SpecException e = assertThrows(
                dev.lamina.spec.SpecException.class, () -> Losses.huber(0));
        assertTrue(e.getMessage().contains("expected a positive number, received delta=0.0"),
                e.getMessage());
    }
}
