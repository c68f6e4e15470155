package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;

/**
 * A running optimizer's state, as a checkpoint carries it: each state array (moments,
 * accumulators) named {@code slot/parameter path}, the update count of each parameter, and what
 * callbacks did to the learning rate. Paths are the model's parameter names, the same in every
 * build of one architecture, so a state saved by one process restores in another.
 */
public record OptimizerState(Map<String, NDArray> arrays, Map<String, Integer> counts,
        double rateFactor, double rateValue) {
    /**
     * The state of {@code optimizer} (made by {@link OptimizerSpec#toDjl(ai.djl.nn.ParameterList)}),
     * its arrays copied into {@code manager}; null for an optimizer that is not Lamina's.
     */
    public static OptimizerState of(Optimizer optimizer, NDManager manager) {
        return optimizer instanceof UpdateRule rule ? rule.exportState(manager) : null;
    }

    /** Whether {@link #of} can export {@code optimizer}'s state (Lamina's optimizers can). */
    public static boolean supports(Optimizer optimizer) {
        return optimizer instanceof UpdateRule;
    }

    /** Puts this state into {@code optimizer} before its first update. */
    public void restoreInto(Optimizer optimizer) {
        if (!(optimizer instanceof UpdateRule rule)) {
            throw new IllegalArgumentException("only Lamina's optimizers take a saved state");
        }
        rule.importState(this);
    }
}
