package dev.lamina.optimizers;

import dev.lamina.spec.ConfigNode;

/**
 * The learning rate an optimizer uses at each step. Today only a {@link Constant} exists; a
 * schedule (exponential decay, cosine, ...) will be another implementation, written to files as
 * {@code {type: settings}} where a constant is written as a plain number.
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

    /** Reads a learning rate from a file's value: a number is a {@link Constant}. */
    static LearningRate parse(ConfigNode node) {
        if (node.isScalar() && node.scalarValue() instanceof Number) {
            return new Constant(node.asDouble());
        }
        throw node.error("expected a learning rate as a number (such as 0.001), got " + node.describe()
                + "; learning-rate schedules are not available yet");
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
