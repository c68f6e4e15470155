package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.metrics.MeanMetric;
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
 * <p>A batch reads nothing back: its loss and its metrics' partial results (a mean metric's
 * {@link MeanMetric#batchTotal}, another metric's {@link MetricSpec#batchSumsArray}) stay on the
 * engine, kept as they are, and {@link #result} and {@link #state} read every batch kept since the
 * last reading at once, one read per kind, then add them up in Java as before: {@code loss · n}
 * and each sum in float64, batch after batch, so the figures are exactly those of reading each
 * batch as it ends. The loss arrays stay alive until the meter is closed (the NaN guard looks at
 * them too).
 */
final class Meter implements AutoCloseable {
    private final List<MetricSpec> metrics;
    private final List<String> outputs;
    private final TrainingLoss loss;
    private final NDManager manager;
    private final double[][] sums; // per output and metric; null until its first batch
    private final double[] partSums;
    private double lossSum;
    private long samples;
    // kept on the engine since the last reading
    private final List<NDArray> losses = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<NDArray[]> parts = new ArrayList<>();
    private final List<NDArray[]> batchSums = new ArrayList<>();
    private final List<long[]> metricCounts = new ArrayList<>();

    /** A meter whose kept arrays live in a manager of their own, made under {@code parent}. */
    Meter(List<MetricSpec> metrics, List<String> outputs, TrainingLoss loss, NDManager parent) {
        this.metrics = metrics;
        this.outputs = outputs;
        this.loss = loss;
        this.manager = parent.newSubManager();
        this.sums = new double[metrics.size() * outputs.size()][];
        this.partSums = new double[outputs.size()];
    }

    private NDArray keep(NDArray a) {
        a.attach(manager);
        NDScope.unregister(a); // outlives the batch's scope
        return a;
    }

    /** Adds a batch of {@code n} samples whose mean loss is {@code total}; reads nothing back. */
    void add(NDArray total, NDList labels, NDList pred, int n) {
        losses.add(keep(total));
        counts.add(n);
        boolean several = outputs.size() > 1;
        if (several) {
            NDArray[] p = loss.lastParts().clone();
            for (int o = 0; o < p.length; o++) {
                keep(p[o]);
            }
            parts.add(p);
        }
        NDArray[] b = new NDArray[sums.length];
        long[] c = new long[sums.length];
        for (int o = 0; o < outputs.size(); o++) {
            NDArray y = labels.get(o);
            NDArray p = pred.get(o);
            for (int i = 0; i < metrics.size(); i++) {
                int k = o * metrics.size() + i;
                MetricSpec m = metrics.get(i);
                if (m instanceof MeanMetric mean) {
                    b[k] = keep(mean.batchTotal(y, p));
                    c[k] = mean.batchCount(y, p);
                } else {
                    b[k] = keep(m.batchSumsArray(y, p));
                }
            }
        }
        batchSums.add(b);
        metricCounts.add(c);
    }

    /**
     * Reads the arrays of {@code list} (scalars or vectors alike) as float64, in one read: arrays
     * of one type and shape are stacked first (one operation for a kind of array, not one per
     * batch), then converted, flattened and joined.
     */
    private static double[][] read(List<NDArray> list) {
        double[][] out = new double[list.size()][];
        if (list.isEmpty()) {
            return out;
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        int[] sizes = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            NDArray a = list.get(i);
            Shape shape = a.getShape();
            sizes[i] = (int) shape.size();
            groups.computeIfAbsent(a.getDataType() + " " + shape, k -> new ArrayList<>()).add(i);
        }
        double[] all;
        try (NDManager m = list.get(0).getManager().newSubManager()) {
            NDList flat = new NDList(groups.size());
            for (List<Integer> g : groups.values()) {
                NDList members = new NDList(g.size());
                g.forEach(i -> members.add(list.get(i)));
                NDArray stacked = members.size() == 1 ? members.get(0).reshape(-1)
                        : NDArrays.stack(members);
                stacked.attach(m);
                NDArray values = stacked.toType(DataType.FLOAT64, false).reshape(-1);
                values.attach(m);
                flat.add(values);
            }
            NDArray joined = flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat);
            joined.attach(m);
            all = joined.toDoubleArray();
        }
        int at = 0;
        for (List<Integer> g : groups.values()) {
            for (int i : g) {
                out[i] = java.util.Arrays.copyOfRange(all, at, at + sizes[i]);
                at += sizes[i];
            }
        }
        return out;
    }

    /** Adds up, in Java and in order, every batch kept since the last reading. */
    private void fold() {
        if (losses.isEmpty()) {
            return;
        }
        List<NDArray> all = new ArrayList<>(losses);
        parts.forEach(p -> all.addAll(List.of(p)));
        batchSums.forEach(b -> all.addAll(List.of(b)));
        double[][] values = read(all);
        int at = 0;
        int batches = losses.size();
        for (int i = 0; i < batches; i++) {
            lossSum += values[at++][0] * counts.get(i);
            samples += counts.get(i);
        }
        for (int i = 0; i < parts.size(); i++) {
            for (int o = 0; o < partSums.length; o++) {
                partSums[o] += values[at++][0] * counts.get(i);
            }
        }
        for (int i = 0; i < batchSums.size(); i++) {
            for (int k = 0; k < sums.length; k++) {
                double[] v = values[at++];
                double[] batch = metrics.get(k % metrics.size()) instanceof MeanMetric
                        ? new double[] {v[0], metricCounts.get(i)[k]} : v;
                if (sums[k] == null) {
                    sums[k] = batch.clone();
                } else if (sums[k].length != batch.length) {
                    throw new IllegalStateException(metrics.get(k % metrics.size()).name()
                            + " gave " + batch.length + " sums for a batch after "
                            + sums[k].length + " for the first");
                } else {
                    for (int j = 0; j < batch.length; j++) {
                        sums[k][j] += batch[j];
                    }
                }
            }
        }
        // the losses stay alive for the guard; the rest is freed
        parts.forEach(p -> List.of(p).forEach(NDArray::close));
        batchSums.forEach(b -> List.of(b).forEach(NDArray::close));
        losses.clear();
        counts.clear();
        parts.clear();
        batchSums.clear();
        metricCounts.clear();
    }

    /** The running sums, for a checkpoint. */
    Map<String, Object> state() {
        fold();
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

    /** Puts back what {@link #state} gave (forgetting what was kept since). */
    @SuppressWarnings("unchecked")
    void restore(Map<String, Object> m) {
        losses.clear();
        counts.clear();
        parts.clear();
        batchSums.clear();
        metricCounts.clear();
        lossSum = ((Number) m.get("loss_sum")).doubleValue();
        samples = ((Number) m.get("samples")).longValue();
        List<Number> ps = (List<Number>) m.get("part_sums");
        for (int i = 0; i < partSums.length && i < ps.size(); i++) {
            partSums[i] = ps.get(i).doubleValue();
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
        fold();
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

    /** Frees what was kept. */
    @Override
    public void close() {
        manager.close();
    }
}
