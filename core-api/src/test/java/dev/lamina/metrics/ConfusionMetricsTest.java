package dev.lamina.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.data.Tensor;
import dev.lamina.layers.Dense;
import dev.lamina.losses.Losses;
import dev.lamina.optimizers.Optimizers;
import dev.lamina.testing.TestEngines;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * precision, recall and auc against hand counts on both engines, and over several batches: the
 * epoch's value comes from the epoch's counts, which differs from the mean of the batches' values.
 */
class ConfusionMetricsTest {
    static final double TOL = 1e-6;

    // two batches of binary predictions (threshold 0.5):
    // batch 1: labels 1 1 0 0, scores .9 .8 .7 .1 -> positive 1 1 1 0: tp 2, fp 1, fn 0
    // batch 2: labels 1 1 1 0, scores .6 .2 .3 .4 -> positive 1 0 0 0: tp 1, fp 0, fn 2
    static final double[] Y1 = {1, 1, 0, 0};
    static final double[] P1 = {0.9, 0.8, 0.7, 0.1};
    static final double[] Y2 = {1, 1, 1, 0};
    static final double[] P2 = {0.6, 0.2, 0.3, 0.4};

    static NDArray arr(NDManager m, double... x) {
        return MetricsTest.arr(m, x);
    }

    /** The value over several batches, summing their sums as the training loop's meter does. */
    static double overBatches(MetricSpec metric, NDArray... labelsThenPredictions) {
        double[] sums = null;
        for (int i = 0; i < labelsThenPredictions.length; i += 2) {
            double[] b = metric.batchSums(labelsThenPredictions[i], labelsThenPredictions[i + 1]);
            if (sums == null) {
                sums = b;
            } else {
                for (int j = 0; j < b.length; j++) {
                    sums[j] += b[j];
                }
            }
        }
        return metric.result(sums);
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void precisionAndRecallCountOverTheWholeEpoch(String engine) {
        MetricSpec precision = Metrics.precision();
        MetricSpec recall = Metrics.recall();
        try (NDManager m = TestEngines.manager(engine)) {
            assertArrayEquals(new double[] {2, 1, 0}, precision.batchSums(arr(m, Y1), arr(m, P1)));
            assertArrayEquals(new double[] {1, 0, 2}, recall.batchSums(arr(m, Y2), arr(m, P2)));
            assertEquals(2 / 3.0, overBatches(precision, arr(m, Y1), arr(m, P1)), TOL);
            assertEquals(1.0, overBatches(precision, arr(m, Y2), arr(m, P2)), TOL);
            // the epoch: tp 3, fp 1, fn 2; precision 3/4 (not (2/3 + 1)/2 = 5/6), recall 3/5 (not
            // (1 + 1/3)/2 = 2/3)
            assertEquals(0.75, overBatches(precision, arr(m, Y1), arr(m, P1), arr(m, Y2), arr(m, P2)),
                    TOL);
            assertEquals(0.6, overBatches(recall, arr(m, Y1), arr(m, P1), arr(m, Y2), arr(m, P2)), TOL);
            // (batch, 1) predictions against (batch) labels; nothing predicted positive gives 0
            assertEquals(0.75, overBatches(precision, arr(m, Y1), arr(m, P1).reshape(4, 1),
                    arr(m, Y2), arr(m, P2).reshape(4, 1)), TOL);
            assertEquals(0.0, overBatches(precision, arr(m, Y1), arr(m, 0.1, 0.2, 0.3, 0.4)), 0);
            // a threshold of 0.35 adds .4 (a negative) to batch 2: tp 1, fp 1 -> 1/2
            assertEquals(0.5, overBatches(new PrecisionRecall("precision", 0.35, null, null),
                    arr(m, Y2), arr(m, P2)), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void kerasDocumentedExamples(String engine) {
        try (NDManager m = TestEngines.manager(engine)) {
            assertEquals(2 / 3.0, overBatches(Metrics.precision(), arr(m, 0, 1, 1, 1),
                    arr(m, 1, 0, 1, 1)), TOL);
            // top_k over four equal scores keeps the first k (ties to the lower index)
            assertEquals(0.0, overBatches(new PrecisionRecall("precision", null, 2, null),
                    arr(m, 0, 0, 1, 1), arr(m, 1, 1, 1, 1)), TOL);
            assertEquals(0.5, overBatches(new PrecisionRecall("precision", null, 4, null),
                    arr(m, 0, 0, 1, 1), arr(m, 1, 1, 1, 1)), TOL);
            // AUC(num_thresholds=3) on [0, 0, 1, 1] against [0, 0.5, 0.3, 0.9] is 0.75
            assertEquals(0.75, overBatches(new Auc(3, "ROC", "interpolation", false),
                    arr(m, 0, 0, 1, 1), arr(m, 0, 0.5, 0.3, 0.9)), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void classIdAndTopKOnClassScores(String engine) {
        // class ids 1 1 2 0 are taken as one-hot rows against these (4, 3) scores
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray p = MetricsTest.arr(m, MetricsTest.SCORES);
            NDArray ids = arr(m, 1, 1, 2, 0);
            // above 0.5: (0, 1), (2, 2), (3, 0), all right (row 1's 0.5 is not above): tp 3, fp 0,
            // and row 1's class 1 is missed: fn 1
            assertArrayEquals(new double[] {3, 0, 1}, Metrics.precision().batchSums(ids, p));
            // class 1 only: labels 1 1 0 0, positives 1 0 0 0
            assertArrayEquals(new double[] {1, 0, 1},
                    new PrecisionRecall("recall", null, null, 1).batchSums(ids, p));
            // top 1 = argmax 1 0 2 0: rows 0, 2, 3 right, row 1 wrong: tp 3, fp 1, fn 1
            assertArrayEquals(new double[] {3, 1, 1},
                    new PrecisionRecall("precision", null, 1, null).batchSums(ids, p));
            // top 2 per row: {1, 2}, {0, 1}, {2, 0} (0.2 tie to class 0), {0, 1} (0.05 tie to 1);
            // class 2 is then positive in rows 0 and 2, and true in row 2: tp 1, fp 1, fn 0
            assertArrayEquals(new double[] {1, 1, 0},
                    new PrecisionRecall("precision", null, 2, 2).batchSums(ids, p));
            // top 2 and above 0.4: (0, 1), (1, 0), (2, 2), (3, 0): row 1 wrong
            assertEquals(0.75, overBatches(new PrecisionRecall("precision", 0.4, 2, null), ids, p),
                    TOL);
            // one-hot labels give the same counts as the ids
            NDArray hot = MetricsTest.arr(m, new double[][] {{0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
            assertArrayEquals(new double[] {3, 1, 1},
                    new PrecisionRecall("precision", null, 1, null).batchSums(hot, p));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PrecisionRecall("precision", null, null, 3).batchSums(ids, p));
            assertEquals("precision: class_id=3 needs predictions (batch, classes) with more than 3"
                    + " classes, received predictions of shape (4, 3)", e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void aucCountsOverTheWholeEpoch(String engine) {
        // thresholds -1e-7, 0.5, 1 + 1e-7. Batch 1 is Keras's example (0.75). Batch 2: labels 0 1,
        // scores .8 .6: tpr 1 1 0, fpr 1 1 0: area (1 − 1)·1 + (1 − 0)·(1 + 0)/2 = 0.5.
        // Together, 3 positives and 3 negatives: at 0.5, .9 and .6 (positives) and .8 (a negative)
        // are above: tp 3 2 0, fp 3 1 0, tn 0 2 3, fn 0 1 3; tpr 1 2/3 0, fpr 1 1/3 0;
        // area (2/3)(1 + 2/3)/2 + (1/3)(2/3)/2 = 5/9 + 1/9 = 2/3, not the batches' mean 0.625.
        Auc roc = new Auc(3, "ROC", "interpolation", false);
        try (NDManager m = TestEngines.manager(engine)) {
            NDArray y1 = arr(m, 0, 0, 1, 1);
            NDArray p1 = arr(m, 0, 0.5, 0.3, 0.9);
            NDArray y2 = arr(m, 0, 1);
            NDArray p2 = arr(m, 0.8, 0.6);
            assertArrayEquals(new double[] {1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1},
                    roc.batchSums(y2, p2));
            assertEquals(0.5, overBatches(roc, y2, p2), TOL);
            assertEquals(2 / 3.0, overBatches(roc, y1, p1, y2, p2), TOL);
            // the same from logits: ln(0.8/0.2) = ln 4 and ln(0.6/0.4) = ln 1.5
            assertEquals(0.5, overBatches(new Auc(3, "ROC", "interpolation", true), y2,
                    arr(m, Math.log(4), Math.log(1.5))), TOL);
            // minoring takes the lower height: (2/3)·min(1, 2/3) + (1/3)·min(2/3, 0) = 4/9
            assertEquals(4 / 9.0, overBatches(new Auc(3, "ROC", "minoring", false), y1, p1, y2, p2),
                    TOL);
            // PR: recall 1 2/3 0, precision 1/2 2/3 0 (0/0 is 0). Majoring: (1/3)(2/3) + (2/3)(2/3)
            assertEquals(2 / 3.0, overBatches(new Auc(3, "PR", "majoring", false), y1, p1, y2, p2),
                    TOL);
            // minoring: (1/3)(1/2) + (2/3)·0
            assertEquals(1 / 6.0, overBatches(new Auc(3, "PR", "minoring", false), y1, p1, y2, p2),
                    TOL);
            // PR interpolation (Davis and Goadrich), P = tp + fp = 6 3 0:
            // interval 1: slope ΔTP/ΔP = 1/3, intercept 2 − 3/3 = 1: (1/3)(1 + 1·ln(6/3)) / 3;
            // interval 2: slope 2/3, intercept 0, P = 0 makes the log 0: (2/3)(2) / 3
            double pr = (1 + Math.log(2)) / 9 + 4 / 9.0;
            assertEquals(pr, overBatches(new Auc(3, "PR", "interpolation", false), y1, p1, y2, p2),
                    TOL);
            // Keras's default 200 thresholds: separated scores give 1, reversed ones 0
            assertEquals(1.0, overBatches(Metrics.auc(), y1, arr(m, 0.1, 0.2, 0.8, 0.9)), TOL);
            assertEquals(0.0, overBatches(Metrics.auc(), y1, arr(m, 0.9, 0.8, 0.2, 0.1)), TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lamina.testing.TestEngines#names")
    void evaluateReportsTheEpochsCounts(String engine) {
        // a dense layer of weight 1 and bias 0 passes its input through: the scores are the inputs
        float[] x = {0.9f, 0.8f, 0.7f, 0.1f, 0.6f, 0.2f, 0.3f, 0.4f};
        float[] y = {1, 1, 0, 0, 1, 1, 1, 0};
        Dataset data = new Dataset("two batches", new Tensor(x, new Shape(1)), Tensor.scalars(y));
        try (Sequential model = new Sequential("pass").input(1)) {
            model.add(new Dense(1)).engine(engine).seed(1);
            model.compile(Optimizers.sgd(0.1), Losses.binaryCrossentropy(), Metrics.precision(),
                    Metrics.recall(), new Auc(3, "ROC", "interpolation", false), Metrics.accuracy());
            model.block().getParameters().valueAt(0).getArray().set(new float[] {1});
            model.block().getParameters().valueAt(1).getArray().set(new float[] {0});
            Map<String, Double> r = model.evaluate(data, 4);
            assertEquals(0.75, r.get("precision"), TOL); // the batches' mean would be 5/6
            assertEquals(0.6, r.get("recall"), TOL); // the batches' mean would be 2/3
            // auc over the 8: tp 5 3 0, fp 3 1 0, tn 0 2 3, fn 0 2 5; tpr 1 .6 0, fpr 1 1/3 0:
            // (2/3)(1.6)/2 + (1/3)(0.6)/2 = 19/30 (batches 0.75 and 2/3, mean 0.708)
            assertEquals(19 / 30.0, r.get("auc"), TOL);
            assertEquals(5 / 8.0, r.get("accuracy"), TOL); // a mean metric still means
            assertTrue(r.containsKey("loss"));
        }
    }
}
