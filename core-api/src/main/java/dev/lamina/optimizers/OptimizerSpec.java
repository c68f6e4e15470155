package dev.lamina.optimizers;

import ai.djl.nn.ParameterList;
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

    /**
     * A new optimizer for {@code parameters} (a model's {@code block().getParameters()}), as
     * {@code fit} makes it: {@code exclude_from_weight_decay} matches their names and
     * {@code global_clipnorm} measures all their gradients together.
     */
    default Optimizer toDjl(ParameterList parameters) {
        Optimizer o = toDjl();
        if (o instanceof UpdateRule rule) {
            rule.bind(parameters);
        }
        return o;
    }

    /** The learning rate, constant or scheduled. */
    LearningRate learningRate();
}
