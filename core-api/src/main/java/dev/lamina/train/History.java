package dev.lamina.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch metrics of a {@code fit}: {@code loss}, each metric, and {@code val_}-prefixed ones when
 * there is validation data, in the order they were first reported, as Keras's {@code History}.
 */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private int epochs;

    /** Records one finished epoch's metrics. */
    public void addEpoch(Map<String, Double> logs) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            values.computeIfAbsent(e.getKey(), k -> {
                List<Double> l = new ArrayList<>();
                for (int i = 0; i < epochs; i++) {
                    l.add(Double.NaN);
                }
                return l;
            }).add(e.getValue());
        }
        epochs++;
        for (List<Double> l : values.values()) {
            while (l.size() < epochs) {
                l.add(Double.NaN);
            }
        }
    }

    /** The number of epochs recorded. */
    public int epochs() {
        return epochs;
    }

    /** The metric names recorded, in order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** One metric over the epochs, or an error listing the names there are. */
    public List<Double> get(String name) {
        List<Double> l = values.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no metric '" + name + "' in the history; it has "
                    + values.keySet());
        }
        return Collections.unmodifiableList(l);
    }

    /** The last epoch's value of a metric. */
    public double last(String name) {
        List<Double> l = get(name);
        return l.get(l.size() - 1);
    }

    /** The metrics of epoch {@code i} (0-based). */
    public Map<String, Double> epoch(int i) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.get(i)));
        return out;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
