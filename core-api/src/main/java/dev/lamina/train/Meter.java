package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.lamina.metrics.MetricSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running means of the loss and metrics over an epoch or an evaluation. With several outputs it
 * also reports each output's loss and metrics, prefixed with the output's name.
 */
final class Meter {
    private final List<MetricSpec> metrics;
    private final List<String> outputs;
    private final TrainingLoss loss;
    private final double[] totals;
    private final long[] counts;
    private final double[] partSums;
    private double lossSum;
    private long samples;

    Meter(List<MetricSpec> metrics, List<String> outputs, TrainingLoss loss) {
        this.metrics = metrics;
        this.outputs = outputs;
        this.loss = loss;
        this.totals = new double[metrics.size() * outputs.size()];
        this.counts = new long[totals.length];
        this.partSums = new double[outputs.size()];
    }

    /** Adds a batch of {@code n} samples; returns its loss (the one value read back). */
    double add(NDArray total, NDList labels, NDList pred, int n) {
        double value = total.getFloat();
        lossSum += value * n;
        samples += n;
        boolean several = outputs.size() > 1;
        NDArray[] parts = several ? loss.lastParts() : null;
        for (int o = 0; o < outputs.size(); o++) {
            if (several) {
                partSums[o] += parts[o].toType(DataType.FLOAT64, false).getDouble() * n;
            }
            NDArray y = labels.get(o);
            NDArray p = pred.get(o);
            for (int i = 0; i < metrics.size(); i++) {
                int k = o * metrics.size() + i;
                totals[k] += metrics.get(i).batchTotal(y, p).toType(DataType.FLOAT64, false)
                        .getDouble();
                counts[k] += metrics.get(i).batchCount(y, p);
            }
        }
        return value;
    }

    /** The means so far, keys prefixed with {@code prefix}. */
    Map<String, Double> result(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "loss", samples == 0 ? Double.NaN : lossSum / samples);
        boolean several = outputs.size() > 1;
        for (int o = 0; o < outputs.size(); o++) {
            String head = several ? outputs.get(o) + "_" : "";
            if (several) {
                out.put(prefix + head + "loss", samples == 0 ? Double.NaN : partSums[o] / samples);
            }
            for (int i = 0; i < metrics.size(); i++) {
                int k = o * metrics.size() + i;
                out.put(prefix + head + metrics.get(i).name(),
                        counts[k] == 0 ? Double.NaN : totals[k] / counts[k]);
            }
        }
        return out;
    }
}
