package dev.lamina.optimizers;

import dev.lamina.spec.ConfigNode;

/**
 * The learning rate an optimizer uses at each step: a {@link Constant}, or one of Keras's
 * schedules ({@link Schedules}), written to files as {@code {type: settings}} where a constant is
 * written as a plain number.
 */
public interface LearningRate {
    /**
     * The rate for update number {@code step}, counted from 0 (Keras's {@code optimizer.iterations}
     * before the update).
     */
    double at(int step);

    /** The value written to files: a number for a constant, a map for a schedule. */
    Object toConfig();

    /** A learning rate that never changes. */
    static LearningRate constant(double value) {
        return new Constant(value);
    }

    /**
     * Reads a learning rate from a file's value: a number is a {@link Constant}, a one-key map a
     * schedule ({@code {exponential_decay: {...}}}).
     */
    static LearningRate parse(ConfigNode node) {
        if (node.isScalar() && node.scalarValue() instanceof Number) {
            return new Constant(node.asDouble());
        }
        if (node.isMap()) {
            return Schedules.parse(node);
        }
        throw node.error("expected a learning rate as a number (such as 0.001) or a schedule"
                + " (such as {exponential_decay: {initial_learning_rate: 0.1, decay_steps: 50,"
                + " decay_rate: 0.9}}), got " + node.describe() + ". Schedules: "
                + String.join(", ", Schedules.names()));
    }

    /** The same rate at every step. Whether it is allowed (> 0) is checked by the optimizer. */
    record Constant(double value) implements LearningRate {
        @Override
        public double at(int step) {
            return value;
        }

        @Override
        public Object toConfig() {
            return value;
        }
    }
}
