package dev.lamina.train;

import java.util.Map;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs, as Keras's
 * {@code EarlyStopping}. Losses improve downwards, other metrics upwards ({@code mode} auto), or say
 * {@code min}/{@code max}.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final String mode;
    private double best;
    private int wait;
    private int stoppedEpoch = -1;

    /** Watches {@code monitor} (such as {@code val_loss}) with {@code patience} epochs of patience. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, patience, 0, "auto");
    }

    /** Full form: {@code mode} is auto, min or max. */
    public EarlyStopping(String monitor, int patience, double minDelta, String mode) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, received patience=" + patience);
        }
        if (!mode.equals("auto") && !mode.equals("min") && !mode.equals("max")) {
            throw new IllegalArgumentException("mode must be auto, min or max, received mode=" + mode);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.mode = mode;
    }

    private boolean minimise() {
        if (!mode.equals("auto")) {
            return mode.equals("min");
        }
        return monitor.endsWith("loss") || monitor.contains("error") || monitor.endsWith("mae")
                || monitor.endsWith("mse");
    }

    @Override
    public void onTrainBegin(FitContext run) {
        best = minimise() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        wait = 0;
        stoppedEpoch = -1;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalArgumentException("early stopping watches '" + monitor
                    + "', which this run does not report; it reports " + logs.keySet()
                    + (monitor.startsWith("val_") ? " (give validation data for val_ metrics)" : ""));
        }
        boolean better = minimise() ? v < best - minDelta : v > best + minDelta;
        if (better) {
            best = v;
            wait = 0;
        } else if (++wait > patience) {
            stoppedEpoch = epoch;
            run.stopTraining();
        }
    }

    /** The epoch (0-based) training stopped at, or -1 when it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
