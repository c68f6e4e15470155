package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.lamina.metrics.MetricSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running means of the loss, and running sums of each metric's {@link MetricSpec#batchSums}, over
 * an epoch or an evaluation; a metric's value is its {@link MetricSpec#result} of the sums so far.
 * With several outputs it also reports each output's loss and metrics, prefixed with the output's
 * name.
 */
final class Meter {
    private final List<MetricSpec> metrics;
    private final List<String> outputs;
    private final TrainingLoss loss;
    private final double[][] sums; // per output and metric; null until its first batch
    private final double[] partSums;
    private double lossSum;
    private long samples;

    Meter(List<MetricSpec> metrics, List<String> outputs, TrainingLoss loss) {
        this.metrics = metrics;
        this.outputs = outputs;
        this.loss = loss;
        this.sums = new double[metrics.size() * outputs.size()][];
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
                double[] batch = metrics.get(i).batchSums(y, p);
                if (sums[k] == null) {
                    sums[k] = batch.clone();
                } else if (sums[k].length != batch.length) {
                    throw new IllegalStateException(metrics.get(i).name() + " gave " + batch.length
                            + " sums for a batch after " + sums[k].length + " for the first");
                } else {
                    for (int j = 0; j < batch.length; j++) {
                        sums[k][j] += batch[j];
                    }
                }
            }
        }
        return value;
    }

    /** The running sums, for a checkpoint. */
    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss_sum", lossSum);
        m.put("samples", samples);
        m.put("part_sums", toList(partSums));
        List<Object> all = new ArrayList<>();
        for (double[] s : sums) {
            all.add(s == null ? null : toList(s));
        }
        m.put("sums", all);
        return m;
    }

    /** Puts back what {@link #state} gave. */
    @SuppressWarnings("unchecked")
    void restore(Map<String, Object> m) {
        lossSum = ((Number) m.get("loss_sum")).doubleValue();
        samples = ((Number) m.get("samples")).longValue();
        List<Number> parts = (List<Number>) m.get("part_sums");
        for (int i = 0; i < partSums.length && i < parts.size(); i++) {
            partSums[i] = parts.get(i).doubleValue();
        }
        List<Object> all = (List<Object>) m.get("sums");
        for (int k = 0; k < sums.length && k < all.size(); k++) {
            List<Number> s = (List<Number>) all.get(k);
            sums[k] = s == null ? null : s.stream().mapToDouble(Number::doubleValue).toArray();
        }
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>();
        for (double x : v) {
            l.add(x);
        }
        return l;
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
                        sums[k] == null ? Double.NaN : metrics.get(i).result(sums[k]));
            }
        }
        return out;
    }
}
