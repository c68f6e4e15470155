package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.Spec;

/**
 * A metric reported per epoch. A batch contributes {@link #batchTotal} and {@link #batchCount}; the
 * epoch's value is the sum of totals over the sum of counts, so the last, smaller batch weighs what
 * it should.
 */
public interface MetricSpec extends Spec {
    /** The name in the history and in {@code history.csv}, such as {@code accuracy}. */
    String name();

    /** The sum of the metric over this batch's samples (a scalar NDArray). */
    NDArray batchTotal(NDArray labels, NDArray predictions);

    /** The number of samples (or elements) that {@link #batchTotal} summed over. */
    long batchCount(NDArray labels, NDArray predictions);
}
