package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.Spec;

/**
 * A metric reported per epoch. Each batch gives a few sums ({@link #batchSums}, the same number
 * every batch); the epoch adds them up element by element, and {@link #result} turns the epoch's
 * sums into the value reported. A mean ({@link MeanMetric}: accuracy, mae, ...) sums a total and
 * a count, so the last, smaller batch weighs what it should. A confusion metric (precision,
 * recall, auc) sums true and false positives and negatives, so its value is that of the whole
 * epoch's counts, as Keras's stateful metrics give, not a mean of the batches' values.
 */
public interface MetricSpec extends Spec {
    /** The name in the history and in {@code history.csv}, such as {@code accuracy}. */
    String name();

    /** What this batch adds to the epoch's sums, read back once into Java. */
    double[] batchSums(NDArray labels, NDArray predictions);

    /**
     * The same sums as {@link #batchSums}, as one float64 vector left on the engine, so that an
     * epoch adds them up there and reads them only when its value is wanted (the same numbers:
     * float64 sums in the same order). By default {@link #batchSums} read back and copied in.
     */
    default NDArray batchSumsArray(NDArray labels, NDArray predictions) {
        return labels.getManager().create(batchSums(labels, predictions));
    }

    /** The value of the metric from the element-wise sums of every batch's {@link #batchSums}. */
    double result(double[] sums);
}
