package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A metric that is a mean over samples (or elements): a batch contributes {@link #batchTotal} and
 * {@link #batchCount}; the epoch's value is the sum of totals over the sum of counts (NaN when
 * nothing was counted).
 */
public interface MeanMetric extends MetricSpec {
    /** The sum of the metric over this batch's samples (a scalar NDArray). */
    NDArray batchTotal(NDArray labels, NDArray predictions);

    /** The number of samples (or elements) that {@link #batchTotal} summed over. */
    long batchCount(NDArray labels, NDArray predictions);

    /** {total, count}. */
    @Override
    default double[] batchSums(NDArray labels, NDArray predictions) {
        double total = batchTotal(labels, predictions).toType(DataType.FLOAT64, false).getDouble();
        return new double[] {total, batchCount(labels, predictions)};
    }

    /** {total, count} as float64 on the engine: nothing read back. */
    @Override
    default NDArray batchSumsArray(NDArray labels, NDArray predictions) {
        NDArray total = batchTotal(labels, predictions).toType(DataType.FLOAT64, false).reshape(1);
        NDArray count = labels.getManager().create(new double[] {batchCount(labels, predictions)});
        return total.concat(count);
    }

    /** total / count. */
    @Override
    default double result(double[] sums) {
        return sums[1] == 0 ? Double.NaN : sums[0] / sums[1];
    }
}
