package dev.lamina.optimizers;

import dev.lamina.spec.SpecException;

/** Setting checks shared by the optimizers; each failure names the optimizer and the setting. */
final class Checks {
    private Checks() {}

    /** A learning rate must be given; a constant one must be a finite number above 0. */
    static void learningRate(String type, LearningRate lr) {
        if (lr == null) {
            throw new SpecException(type, "learning_rate", "expected a learning rate, received nothing");
        }
        if (lr instanceof LearningRate.Constant c && !(c.value() > 0 && Double.isFinite(c.value()))) {
            throw new SpecException(type, "learning_rate",
                    "expected a number > 0, received learning_rate=" + c.value());
        }
    }

    /** {@code value} must lie between {@code lo} and {@code hi}, each end open or closed. */
    static void range(String type, String setting, double value, double lo, boolean loClosed, double hi,
            boolean hiClosed) {
        boolean ok = (loClosed ? value >= lo : value > lo) && (hiClosed ? value <= hi : value < hi);
        if (!ok) {
            String interval = (loClosed ? "[" : "(") + num(lo) + ", " + num(hi) + (hiClosed ? "]" : ")");
            throw new SpecException(type, setting,
                    "expected a number in " + interval + ", received " + setting + "=" + value);
        }
    }

    /** {@code value} must be a finite number >= 0. */
    static void nonNegative(String type, String setting, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new SpecException(type, setting,
                    "expected a number >= 0, received " + setting + "=" + value);
        }
    }

    /** {@code value} must be a finite number > 0. */
    static void positive(String type, String setting, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new SpecException(type, setting,
                    "expected a number > 0, received " + setting + "=" + value);
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
