package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
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
 *
 * <p>The sums stay on the engine, in float64 (a batch adds {@code loss · n}, its metrics' {@link
 * MetricSpec#batchSumsArray}), and are read back only by {@link #result} and {@link #state}: a
 * batch waits for nothing. The numbers are those of adding up in Java: the same float64 operations
 * in the same order.
 */
final class Meter implements AutoCloseable {
    private final List<MetricSpec> metrics;
    private final List<String> outputs;
    private final TrainingLoss loss;
    private final NDManager manager;
    private final NDArray[] sums; // per output and metric; null until its first batch
    private final NDArray[] partSums; // per output, when there are several
    private NDArray lossSum;
    private long samples;

    /** A meter whose sums live in a manager of their own, made under {@code parent}. */
    Meter(List<MetricSpec> metrics, List<String> outputs, TrainingLoss loss, NDManager parent) {
        this.metrics = metrics;
        this.outputs = outputs;
        this.loss = loss;
        this.manager = parent.newSubManager();
        this.sums = new NDArray[metrics.size() * outputs.size()];
        this.partSums = new NDArray[outputs.size()];
    }

    /** {@code into += value}, or a copy of {@code value} kept in the meter's manager when null. */
    private NDArray accumulate(NDArray into, NDArray value) {
        if (into == null) {
            NDArray copy = value.duplicate();
            copy.attach(manager);
            NDScope.unregister(copy); // outlives the batch's scope
            return copy;
        }
        return into.addi(value);
    }

    /** Adds a batch of {@code n} samples whose mean loss is {@code total}; reads nothing back. */
    void add(NDArray total, NDList labels, NDList pred, int n) {
        lossSum = accumulate(lossSum, total.toType(DataType.FLOAT64, false).mul(n));
        samples += n;
        boolean several = outputs.size() > 1;
        NDArray[] parts = several ? loss.lastParts() : null;
        for (int o = 0; o < outputs.size(); o++) {
            if (several) {
                partSums[o] = accumulate(partSums[o],
                        parts[o].toType(DataType.FLOAT64, false).mul(n));
            }
            NDArray y = labels.get(o);
            NDArray p = pred.get(o);
            for (int i = 0; i < metrics.size(); i++) {
                int k = o * metrics.size() + i;
                NDArray batch = metrics.get(i).batchSumsArray(y, p);
                if (sums[k] != null && sums[k].size() != batch.size()) {
                    throw new IllegalStateException(metrics.get(i).name() + " gave " + batch.size()
                            + " sums for a batch after " + sums[k].size() + " for the first");
                }
                sums[k] = accumulate(sums[k], batch);
            }
        }
    }

    private static double read(NDArray a) {
        return a == null ? 0 : a.getDouble();
    }

    /** The running sums, for a checkpoint (read back). */
    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss_sum", read(lossSum));
        m.put("samples", samples);
        List<Double> parts = new ArrayList<>();
        for (NDArray p : partSums) {
            parts.add(read(p));
        }
        m.put("part_sums", parts);
        List<Object> all = new ArrayList<>();
        for (NDArray s : sums) {
            all.add(s == null ? null : toList(s.toDoubleArray()));
        }
        m.put("sums", all);
        return m;
    }

    /** Puts back what {@link #state} gave. */
    @SuppressWarnings("unchecked")
    void restore(Map<String, Object> m) {
        lossSum = kept(new double[] {((Number) m.get("loss_sum")).doubleValue()});
        samples = ((Number) m.get("samples")).longValue();
        List<Number> parts = (List<Number>) m.get("part_sums");
        for (int i = 0; i < partSums.length && i < parts.size(); i++) {
            partSums[i] = kept(new double[] {parts.get(i).doubleValue()});
        }
        List<Object> all = (List<Object>) m.get("sums");
        for (int k = 0; k < sums.length && k < all.size(); k++) {
            List<Number> s = (List<Number>) all.get(k);
            sums[k] = s == null ? null
                    : kept(s.stream().mapToDouble(Number::doubleValue).toArray());
        }
    }

    private NDArray kept(double[] values) {
        NDArray a = manager.create(values);
        NDScope.unregister(a);
        return a;
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>();
        for (double x : v) {
            l.add(x);
        }
        return l;
    }

    /** The means so far, keys prefixed with {@code prefix} (the sums read back). */
    Map<String, Double> result(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + "loss", samples == 0 ? Double.NaN : read(lossSum) / samples);
        boolean several = outputs.size() > 1;
        for (int o = 0; o < outputs.size(); o++) {
            String head = several ? outputs.get(o) + "_" : "";
            if (several) {
                out.put(prefix + head + "loss",
                        samples == 0 ? Double.NaN : read(partSums[o]) / samples);
            }
            for (int i = 0; i < metrics.size(); i++) {
                int k = o * metrics.size() + i;
                out.put(prefix + head + metrics.get(i).name(), sums[k] == null ? Double.NaN
                        : metrics.get(i).result(sums[k].toDoubleArray()));
            }
        }
        return out;
    }

    /** Frees the sums. */
    @Override
    public void close() {
        manager.close();
    }
}
