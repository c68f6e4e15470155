package dev.lamina.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DJL side of every Lamina optimizer: counts steps per parameter, asks the learning rate for
 * the step's rate, clips the gradient, keeps the per-parameter state arrays and runs the
 * subclass's rule in a scope that frees every temporary array.
 *
 * <p>After the update the weight's stored gradient is set to zero, as DJL's built-in optimizers
 * do, so that PyTorch (which accumulates gradients) and MXNet (which overwrites them) behave alike.
 *
 * <p>State arrays live on the weight's manager (they last as long as the model); the rule updates
 * them and the weight in place. Gradients are plain arrays here: nothing done in {@link #step} is
 * recorded for differentiation, because DJL calls {@code update} outside a gradient collector.
 */
abstract class UpdateRule extends Optimizer implements AutoCloseable {
    private final LearningRate learningRate;
    private final Clipping clipping;
    private final List<Map<String, Map<Device, NDArray>>> slots = new ArrayList<>();

    /** A rule with {@code stateSlots} state arrays per parameter. */
    UpdateRule(LearningRate learningRate, Clipping clipping, int stateSlots) {
        super(new Settings());
        this.learningRate = learningRate;
        this.clipping = clipping == null ? Clipping.NONE : clipping;
        for (int i = 0; i < stateSlots; i++) {
            slots.add(new HashMap<>());
        }
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        double lr = learningRate.at(t - 1);
        NDArray[] state = new NDArray[slots.size()];
        for (int i = 0; i < state.length; i++) {
            final int slot = i;
            state[i] = withDefaultState(slots.get(i), parameterId, weight.getDevice(), k -> {
                NDArray s = initialState(slot, weight);
                // kept for the model's lifetime, even when the caller runs update in its own scope
                NDScope.unregister(s);
                return s;
            });
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            step(weight, clipping.apply(grad), state, t, lr);
            zeroGradient(weight);
        }
    }

    /**
     * Clears the weight's gradient once it is used, as DJL's own optimizers do: PyTorch adds each
     * backward pass to the stored gradient, so without this every step would also apply all the
     * earlier gradients. (MXNet overwrites gradients; clearing them there is harmless.)
     */
    /**
     * Frees the optimizer's state (moments, accumulators). Its arrays live beside the weights, in
     * the model's manager, so without this every {@code fit} would leave one set behind.
     */
    @Override
    public void close() {
        for (Map<String, Map<Device, NDArray>> slot : slots) {
            for (Map<Device, NDArray> perDevice : slot.values()) {
                perDevice.values().forEach(NDArray::close);
            }
            slot.clear();
        }
    }

    private static void zeroGradient(NDArray weight) {
        if (weight.hasGradient()) {
            NDArray stored = weight.getGradient();
            stored.subi(stored);
        }
    }

    /** The starting value of state slot {@code slot}; zeros unless overridden. */
    NDArray initialState(int slot, NDArray weight) {
        return weight.zerosLike();
    }

    /**
     * One update of {@code weight} (in place) by gradient {@code g}; {@code t} is the step number
     * for this parameter counting from 1, {@code lr} the step's learning rate.
     */
    abstract void step(NDArray weight, NDArray g, NDArray[] state, int t, double lr);

    /** DJL's builder, left at its defaults: Lamina applies no rescaling, clipping or decay of DJL's. */
    private static final class Settings extends OptimizerBuilder<Settings> {
        @Override
        protected Settings self() {
            return this;
        }
    }
}
