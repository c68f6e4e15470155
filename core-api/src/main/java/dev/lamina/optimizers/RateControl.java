package dev.lamina.optimizers;

import ai.djl.training.optimizer.Optimizer;

/**
 * What callbacks do to a running optimizer's learning rate, on top of its schedule: Keras's
 * {@code ReduceLROnPlateau} multiplies it ({@link #scale}), {@code LearningRateScheduler} sets it
 * ({@link #set}). Each {@code fit} has its own, starting at the schedule as written.
 */
public final class RateControl {
    private double factor = 1;
    private double value = Double.NaN;

    /** The rate used for an update whose schedule gives {@code scheduled}. */
    public double apply(double scheduled) {
        return Double.isNaN(value) ? scheduled * factor : value;
    }

    /** Multiplies every later rate by {@code f} (a set rate too). */
    public void scale(double f) {
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("a learning rate can only be scaled by a number > 0,"
                    + " received " + f);
        }
        factor *= f;
        if (!Double.isNaN(value)) {
            value *= f;
        }
    }

    /** Sets the rate of every later update to {@code lr}, whatever the schedule says. */
    public void set(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("expected a learning rate > 0, received " + lr);
        }
        value = lr;
    }

    /** The factor multiplying the schedule (1 unless scaled). */
    double factor() {
        return factor;
    }

    /** The rate set, or NaN. */
    double value() {
        return value;
    }

    /** Puts back a factor and a set rate (NaN: none), from a checkpoint. */
    void restore(double f, double v) {
        factor = f;
        value = v;
    }

    /** The control of a Lamina optimizer made by {@link OptimizerSpec#toDjl}, or null. */
    public static RateControl of(Optimizer optimizer) {
        return optimizer instanceof UpdateRule rule ? rule.rateControl() : null;
    }
}
