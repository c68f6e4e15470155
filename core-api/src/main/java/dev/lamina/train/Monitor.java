package dev.lamina.train;

import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * The quantity a callback watches and which way is better, as Keras 3's {@code MonitorCallback}:
 * {@code mode} min or max, or auto, where a loss improves downwards and a metric whose name says
 * it (accuracy, auc, precision, recall) upwards; Keras asks each metric its direction, Lamina
 * reads it from the name. A name auto cannot place is refused, as Keras refuses it.
 */
final class Monitor {
    private final String type;
    final String monitor;
    final String mode;
    private final double minDelta;
    private final boolean lower;

    Monitor(String type, String monitor, String mode, double minDelta) {
        if (monitor == null || monitor.isBlank()) {
            throw new SpecException(type, "monitor", "expected the name of a logged quantity,"
                    + " such as val_loss or val_accuracy");
        }
        if (!mode.equals("auto") && !mode.equals("min") && !mode.equals("max")) {
            throw new SpecException(type, "mode", "expected auto, min or max, received mode="
                    + mode);
        }
        if (Double.isNaN(minDelta) || Double.isInfinite(minDelta)) {
            throw new SpecException(type, "min_delta", "expected a finite number, received"
                    + " min_delta=" + minDelta);
        }
        this.type = type;
        this.monitor = monitor;
        this.mode = mode;
        this.minDelta = Math.abs(minDelta);
        this.lower = lowerIsBetter(type, monitor, mode);
    }

    /** Whether lower values of {@code monitor} are better, by {@code mode} or by the name. */
    static boolean lowerIsBetter(String type, String monitor, String mode) {
        if (!mode.equals("auto")) {
            return mode.equals("min");
        }
        String m = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        if (m.equals("loss") || m.endsWith("_loss") || m.endsWith("mae") || m.endsWith("mse")
                || m.endsWith("error") || m.endsWith("crossentropy") || m.endsWith("hinge")) {
            return true;
        }
        if (m.contains("acc") || m.endsWith("auc") || m.endsWith("precision")
                || m.endsWith("recall")) {
            return false;
        }
        throw new SpecException(type, "mode", "cannot tell whether monitor=" + monitor
                + " should be minimised or maximised: give mode: max to keep the highest value,"
                + " or mode: min to keep the lowest");
    }

    /** True when lower is better. */
    boolean lower() {
        return lower;
    }

    /** Keras's {@code _is_improvement}: better than {@code reference} by more than min_delta. */
    boolean improves(double value, Double reference) {
        if (reference == null) {
            return true;
        }
        return lower ? value + minDelta < reference : value - minDelta > reference;
    }

    /** The monitored value of {@code logs}, or an error naming what the run reports. */
    double value(Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalArgumentException(type + " watches '" + monitor
                    + "', which this run does not report; it reports " + logs.keySet()
                    + (monitor.startsWith("val_") ? " (give validation data for val_ metrics)" : ""));
        }
        return v;
    }
}
