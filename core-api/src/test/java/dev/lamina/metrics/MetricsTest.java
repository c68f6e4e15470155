package dev.lamina.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.testing.TestEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each metric's total and count against hand counts, on both engines. */
class MetricsTest {
    static final double TOL = 1e-5;

    static final double[][] SCORES = {
        {0.1, 0.7, 0.2}, {0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, {0.9, 0.05, 0.05}};

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

    static double value(NDArray scalar) {
        assertEquals(0, scalar.getShape().dimension(), "a total is a scalar, got " + scalar.getShape());
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    /** Hand count: samples whose label has fewer than k strictly larger scores. */
    static int topK(double[][] s, int[] ids, int k) {
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            int above = 0;
            for (double v : s[i]) {
                if (v > s[i][ids[i]]) {
                    above++;
                }
            }
            if (above < k) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void accuracyWithClassIds(String engine) {
        Accuracy acc = Metrics.accuracy();
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray p = arr(m, SCORES);
            NDArray ids = arr(m, 1, 1, 2, 0); // argmaxes are 1, 0, 2, 0: three right
            assertEquals(3, value(acc.batchTotal(ids, p)), TOL);
            assertEquals(4, acc.batchCount(ids, p));
            assertEquals(3, value(acc.batchTotal(ids.reshape(4, 1), p)), TOL);
            assertEquals(3, value(acc.batchTotal(m.create(new int[] {1, 1, 2, 0}), p)), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void accuracyWithOneHotLabels(String engine) {
        Accuracy acc = new Accuracy("acc");
        assertEquals("acc", acc.name());
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray hot = arr(m, new double[][] {{0, 1, 0}, {0, 0, 1}, {0, 0, 1}, {1, 0, 0}});
            NDArray p = arr(m, SCORES);
            assertEquals(3, value(acc.batchTotal(hot, p)), TOL);
            assertEquals(4, acc.batchCount(hot, p));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void binaryAccuracyThresholdsAtOneHalf(String engine) {
        Accuracy acc = Metrics.accuracy();
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray y = arr(m, 1, 1, 1, 0, 0);
            NDArray p = arr(m, 0.6, 0.4, 0.8, 0.1, 0.7); // guesses 1 0 1 0 1: three right
            assertEquals(3, value(acc.batchTotal(y, p)), TOL);
            assertEquals(5, acc.batchCount(y, p));
            assertEquals(3, value(acc.batchTotal(y, p.reshape(5, 1))), TOL);
            assertEquals(5, acc.batchCount(y, p.reshape(5, 1)));
            assertEquals(3, value(acc.batchTotal(y.reshape(5, 1), p.reshape(5, 1))), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void topKAccuracy(String engine) {
        int[] ids = {2, 2, 0, 1};
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray p = arr(m, SCORES);
            NDArray y = arr(m, 2, 2, 0, 1);
            for (int k = 1; k <= 3; k++) {
                TopKAccuracy top = Metrics.topKAccuracy(k);
                assertEquals(topK(SCORES, ids, k), value(top.batchTotal(y, p)), TOL, "k=" + k);
                assertEquals(4, top.batchCount(y, p));
            }
            // ties at the boundary count as in: row 3's label (0.05) ties with another 0.05
            assertEquals(3, topK(SCORES, ids, 2));
            assertEquals(3, value(Metrics.topKAccuracy(2).batchTotal(y, p)), TOL);
            assertEquals(4, value(Metrics.topKAccuracy(5).batchTotal(y, p)), TOL);
            // one-hot labels
            NDArray hot = arr(m, new double[][] {{0, 0, 1}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}});
            TopKAccuracy cat = new TopKAccuracy("top_k_categorical_accuracy", 2);
            assertEquals(3, value(cat.batchTotal(hot, p)), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void meanAbsoluteAndSquaredError(String engine) {
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
            MeanError mae = Metrics.meanAbsoluteError();
            MeanError mse = Metrics.meanSquaredError();
            assertEquals(ae, value(mae.batchTotal(arr(m, y), arr(m, p))), TOL);
            assertEquals(6, mae.batchCount(arr(m, y), arr(m, p)));
            assertEquals(se, value(mse.batchTotal(arr(m, y), arr(m, p))), TOL);
            assertEquals(6, mse.batchCount(arr(m, y), arr(m, p)));
            assertEquals(1.5, value(mae.batchTotal(arr(m, 1, 2), arr(m, new double[][] {{0.5}, {3}}))), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void mismatchedShapesAreRefused(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            assertThrows(IllegalArgumentException.class,
                    () -> Metrics.accuracy().batchTotal(arr(m, 1, 2), arr(m, SCORES)));
            assertThrows(IllegalArgumentException.class,
                    () -> Metrics.meanSquaredError().batchTotal(arr(m, 1, 2), arr(m, SCORES)));
        }
    }

    static List<Double> allMetrics(String engine) {
        Random r = new Random(11);
        float[] scores = new float[6 * 7];
        float[] ids = new float[6];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(7);
        }
        List<Double> out = new ArrayList<>();
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray p = m.create(scores, new Shape(6, 7));
            NDArray y = m.create(ids);
            for (String name : Metrics.CATALOG.names()) {
                MetricSpec metric = Metrics.CATALOG.parse(name);
                if (metric instanceof MeanError) {
                    out.add(metric.result(metric.batchSums(p.mul(0.5), p)));
                } else if (metric instanceof Auc || metric instanceof PrecisionRecall) {
                    // scores in (0, 1) against class ids taken as one-hot rows
                    NDArray probs = p.neg().exp().add(1).pow(-1);
                    out.add(metric.result(metric.batchSums(y, probs)));
                } else {
                    out.add(metric.result(metric.batchSums(y, p)));
                }
            }
        }
        return out;
    }

    @Test
    void bothEnginesGiveTheSameNumbers() {
        List<Double> a = allMetrics("PyTorch");
        List<Double> b = allMetrics("MXNet");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 1e-5 * Math.max(1, Math.abs(a.get(i))),
                    List.copyOf(Metrics.CATALOG.names()).get(i));
        }
    }
}
