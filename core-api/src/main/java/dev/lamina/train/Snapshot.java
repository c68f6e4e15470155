package dev.lamina.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * What a part of a running training (its step, a callback) puts into a checkpoint so that a
 * resumed run goes on exactly as the killed one would have: named arrays (copies, in the
 * checkpoint's own manager) and plain values (numbers, strings, lists and maps of them, written as
 * JSON).
 */
public record Snapshot(Map<String, NDArray> arrays, Map<String, Object> values) {
    /** Nothing to carry. */
    public static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of());

    public Snapshot {
        arrays = Map.copyOf(arrays);
        values = Map.copyOf(values);
    }

    /** Plain values only. */
    public static Snapshot of(Map<String, Object> values) {
        return new Snapshot(Map.of(), values);
    }

    /** A number kept under {@code key}, or {@code dflt}. */
    public double number(String key, double dflt) {
        Object v = values.get(key);
        return v instanceof Number n ? n.doubleValue() : dflt;
    }
}
