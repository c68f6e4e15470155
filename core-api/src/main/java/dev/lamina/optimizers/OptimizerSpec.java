package dev.lamina.optimizers;

import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;

/**
 * An optimizer's settings (Keras names). {@link #toDjl()} makes a fresh DJL optimizer whose update
 * rule is Lamina's own, written with basic NDArray operations, so it gives the same numbers on
 * every engine.
 */
public interface OptimizerSpec extends Spec {
    /** A new optimizer with empty state; each {@code fit} gets its own. */
    Optimizer toDjl();

    /** The learning rate, constant or scheduled. */
    LearningRate learningRate();
}
