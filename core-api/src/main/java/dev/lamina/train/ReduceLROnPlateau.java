package dev.lamina.train;

import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * Lowers the learning rate when a monitored quantity has stopped improving, as Keras 3's {@code
 * ReduceLROnPlateau}, with its settings and rules:
 *
 * <ul>
 *   <li>{@code monitor} (default {@code val_loss}), {@code mode} (auto, min, max: as {@link
 *       EarlyStopping}), {@code min_delta} (1e-4);
 *   <li>{@code factor} (0.1): the rate is multiplied by it, in (0, 1);
 *   <li>{@code patience} (10): after this many epochs in a row without improvement, at the end
 *       of the last of them, the rate becomes {@code max(rate · factor, min_lr)}, if it is above
 *       {@code min_lr} (0);
 *   <li>{@code cooldown} (0): epochs after a reduction during which no epoch counts towards the
 *       patience.
 * </ul>
 *
 * The new rate takes effect from the next update, through {@link FitContext#rateControl()}: the
 * History's {@code learning_rate} of the next epoch shows it. Where Keras refuses to change the
 * rate of an optimizer that has a schedule, Lamina multiplies the schedule's later rates by the
 * same ratio. Keras's {@code verbose} is left out. A missing monitored quantity is an error (Keras
 * warns).
 */
public final class ReduceLROnPlateau implements Callback {
    /** The name in run files. */
    public static final String TYPE = "reduce_lr_on_plateau";

    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final double minDelta;
    private final int cooldown;
    private final double minLr;
    private Double best;
    private int wait;
    private int cooldownCounter;

    /** Keras's defaults: monitor val_loss, factor 0.1, patience 10, min_delta 1e-4. */
    public ReduceLROnPlateau() {
        this("val_loss", 0.1, 10, "auto", 1e-4, 0, 0);
    }

    /**
     * Every setting, in Keras's order.
     *
     * @throws SpecException naming the setting that cannot be taken
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience, String mode,
            double minDelta, int cooldown, double minLr) {
        if (!(factor > 0 && factor < 1)) {
            throw new SpecException(TYPE, "factor", "expected a number in (0, 1) to multiply the"
                    + " learning rate by, received factor=" + factor);
        }
        if (patience < 0) {
            throw new SpecException(TYPE, "patience", "expected an integer >= 0, received patience="
                    + patience);
        }
        if (cooldown < 0) {
            throw new SpecException(TYPE, "cooldown", "expected an integer >= 0, received cooldown="
                    + cooldown);
        }
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new SpecException(TYPE, "min_lr", "expected a number >= 0, received min_lr="
                    + minLr);
        }
        this.monitor = new Monitor(TYPE, monitor, mode, minDelta);
        this.factor = factor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    @Override
    public void onTrainBegin(FitContext run) {
        best = null;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs, FitContext run) {
        double current = monitor.value(logs);
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (monitor.improves(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double old = run.learningRate();
                if ((float) old > (float) minLr) {
                    double lr = Math.max(old * factor, minLr);
                    run.rateControl().scale(lr / old);
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    public String monitor() {
        return monitor.monitor;
    }

    public String mode() {
        return monitor.mode;
    }

    public double factor() {
        return factor;
    }

    public int patience() {
        return patience;
    }

    public double minDelta() {
        return minDelta;
    }

    public int cooldown() {
        return cooldown;
    }

    public double minLr() {
        return minLr;
    }

    /** The best value, the wait and the cooldown ride through a checkpoint. */
    @Override
    public Snapshot snapshot(ai.djl.ndarray.NDManager manager) {
        return Snapshot.of(Map.of("best", best == null ? "none" : best, "wait", wait,
                "cooldown", cooldownCounter));
    }

    @Override
    public void restore(Snapshot state, FitContext run) {
        best = state.values().get("best") instanceof Number n ? n.doubleValue() : null;
        wait = (int) state.number("wait", 0);
        cooldownCounter = (int) state.number("cooldown", 0);
    }
}
