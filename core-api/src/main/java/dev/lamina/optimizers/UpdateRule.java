package dev.lamina.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.lamina.engine.Gradients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DJL side of every Lamina optimizer: counts steps per parameter, asks the learning rate for
 * the step's rate, clips the gradient, applies the decoupled weight decay, keeps the per-parameter
 * state arrays and runs the subclass's rule in a scope that frees every temporary array. The order
 * is Keras 3's: clip the gradients, decay the weight ({@code w -= w·weight_decay·lr}), then the
 * rule.
 *
 * <p>DJL calls {@link #update} one parameter at a time, knowing it only by an id. {@link #bind}
 * gives the rule the model's parameters: their names, which {@code exclude_from_weight_decay}
 * matches, and their gradients, which {@code global_clipnorm} measures together at the first
 * update of each step (before any of that step's gradients is used and cleared). Unbound (a rule
 * driven directly), the id serves as the name and {@code global_clipnorm} is refused.
 *
 * <p>After the update the weight's stored gradient is set to zero, as DJL's built-in optimizers
 * do, so that PyTorch (which accumulates gradients) and MXNet (which overwrites them) behave alike;
 * a gradient that {@link DirectUpdates} took from a step's fresh leaf is left as it is, since it
 * goes with the step.
 *
 * <p>State arrays live on the weight's manager (they last as long as the model); the rule updates
 * them and the weight in place. Gradients are plain arrays here: nothing done in {@link #step} is
 * recorded for differentiation, because DJL calls {@code update} outside a gradient collector.
 */
abstract class UpdateRule extends Optimizer implements AutoCloseable {
    private final LearningRate learningRate;
    private final RateControl rateControl = new RateControl();
    private final Clipping clipping;
    private final WeightDecay weightDecay;
    private final List<Map<String, Map<Device, NDArray>>> slots = new ArrayList<>();
    /** Parameter id to parameter, the trainable ones; null until {@link #bind}. */
    private Map<String, Parameter> bound;
    /** Parameter id to its path in the model (stable across builds), from {@link #bind}. */
    private final Map<String, String> paths = new HashMap<>();
    /** Updates done per parameter id (Lamina's own count, so that a checkpoint can carry it). */
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Boolean> decays = new HashMap<>();
    /** The step whose global clipping factor is {@link #globalScale}; 0 before the first. */
    private int globalScaleAt;
    /** The rule's numbers as engine arrays, kept (see {@link Scalars}). */
    private final Scalars scalars = new Scalars();
    private float globalScale = 1;
    /** A parameter's gradient of the step, by id and weight (see {@link #gradientsFrom}). */
    private java.util.function.BiFunction<String, NDArray, NDArray> gradients =
            (id, w) -> w.hasGradient() ? w.getGradient() : null;

    /** A rule with {@code stateSlots} state arrays per parameter. */
    UpdateRule(LearningRate learningRate, Clipping clipping, WeightDecay weightDecay, int stateSlots) {
        super(new Settings());
        this.learningRate = learningRate;
        this.clipping = clipping == null ? Clipping.NONE : clipping;
        this.weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        for (int i = 0; i < stateSlots; i++) {
            slots.add(new HashMap<>());
        }
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        run(parameterId, weight, grad, false, true);
    }

    /**
     * {@link #update}, given a gradient the rule may overwrite as it goes (the weight's stored
     * one, cleared afterwards when {@code clear}; or a step's own, which goes with the step):
     * {@link DirectUpdates}'s way, which spares the copy of every gradient that DJL's parameter
     * server makes and the rules' temporary arrays. Call it inside an {@code NDScope} (the
     * training loop's batch): the temporaries are left to it.
     */
    void consume(String parameterId, NDArray weight, NDArray grad, boolean clear) {
        run(parameterId, weight, grad, true, clear);
    }

    /**
     * Where {@code global_clipnorm} finds a parameter's gradient of the step (given its id and
     * weight; null if it has none): {@link DirectUpdates} gives the gradients of its fresh leaves.
     */
    void gradientsFrom(java.util.function.BiFunction<String, NDArray, NDArray> source) {
        this.gradients = source;
    }

    private void run(String parameterId, NDArray weight, NDArray grad, boolean owned, boolean clear) {
        int t = counts.merge(parameterId, 1, Integer::sum);
        double lr = rateControl.apply(learningRate.at(t - 1));
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
        if (owned) {
            // the caller's scope (the training loop's batch) frees the temporaries: on MXNet,
            // freeing an array waits until the engine has computed it, and a scope per update
            // would wait for every update as it is issued
            if (clear) {
                Gradients.settle(weight, grad);
            }
            apply(parameterId, weight, grad, state, t, lr, true);
            if (clear) {
                Gradients.release(weight, grad);
            }
            return;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            apply(parameterId, weight, grad, state, t, lr, false);
            zeroGradient(weight);
        }
    }

    /** Clipping, Keras's decoupled weight decay, then the rule. */
    private void apply(String parameterId, NDArray weight, NDArray grad, NDArray[] state, int t,
            double lr, boolean owned) {
        NDArray g = clipping.isGlobal() ? grad.mul(globalScale(t)) : clipping.apply(grad);
        if (decays(parameterId)) {
            weightDecay.apply(weight, lr);
        }
        if (owned) {
            stepOwned(weight, g, state, t, lr);
        } else {
            step(weight, g, state, t, lr);
        }
    }

    /**
     * Binds this rule to the parameters it will update (a model's {@code getParameters()}): the
     * trainable ones are those {@code global_clipnorm} measures, and their names are those
     * {@code exclude_from_weight_decay} matches.
     */
    void bind(ParameterList parameters) {
        Map<String, Parameter> byId = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient()) {
                byId.put(p.getValue().getId(), p.getValue());
                paths.put(p.getValue().getId(), p.getKey());
            }
        }
        bound = byId;
        decays.clear();
    }

    /** Whether parameter {@code parameterId} decays (its name is not excluded). */
    private boolean decays(String parameterId) {
        if (weightDecay.isOff()) {
            return false;
        }
        return decays.computeIfAbsent(parameterId, id -> {
            Parameter p = bound == null ? null : bound.get(id);
            return weightDecay.appliesTo(p == null ? id : p.getName());
        });
    }

    /**
     * The {@code global_clipnorm} factor of step {@code t}, measured over every bound parameter's
     * gradient at the step's first update, while all of them are still there.
     */
    private float globalScale(int t) {
        if (t != globalScaleAt) {
            if (bound == null) {
                throw new IllegalStateException("global_clipnorm needs every gradient of the step: make the "
                        + "optimizer with OptimizerSpec.toDjl(parameters), as fit does");
            }
            double squared = 0;
            for (Parameter p : bound.values()) {
                NDArray g = gradients.apply(p.getId(), p.getArray());
                if (g != null) {
                    squared += g.square().sum().toType(DataType.FLOAT32, false).getFloat();
                }
            }
            globalScale = (float) clipping.globalScale(squared);
            globalScaleAt = t;
        }
        return globalScale;
    }

    /**
     * The state to carry in a checkpoint: each state array copied into {@code manager}, named
     * {@code slot/path}, and the update count of each parameter by path.
     */
    OptimizerState exportState(NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            for (Map.Entry<String, Map<Device, NDArray>> e : slots.get(i).entrySet()) {
                for (NDArray a : e.getValue().values()) {
                    NDArray copy = manager.create(a.getShape(), a.getDataType());
                    a.copyTo(copy);
                    arrays.put(i + "/" + path(e.getKey()), copy);
                }
            }
        }
        Map<String, Integer> byPath = new LinkedHashMap<>();
        counts.forEach((id, n) -> byPath.put(path(id), n));
        return new OptimizerState(arrays, byPath, rateControl.factor(), rateControl.value());
    }

    /**
     * Puts back what {@link #exportState} gave, before this optimizer's first update or after
     * others (the NaN guard goes back to an earlier state): a parameter the state has no count
     * or moment for starts afresh.
     */
    void importState(OptimizerState state) {
        if (bound == null) {
            throw new IllegalStateException("bind the optimizer to the model's parameters first");
        }
        for (Map.Entry<String, Parameter> e : bound.entrySet()) {
            String id = e.getKey();
            String path = paths.get(id);
            Integer n = state.counts().get(path);
            if (n != null) {
                counts.put(id, n);
            } else {
                counts.remove(id); // no update yet when the state was taken
            }
            NDArray weight = e.getValue().getArray();
            for (int i = 0; i < slots.size(); i++) {
                NDArray saved = state.arrays().get(i + "/" + path);
                if (saved == null) { // no moment yet: the next update starts it afresh
                    Map<Device, NDArray> perDevice = slots.get(i).remove(id);
                    if (perDevice != null) {
                        perDevice.values().forEach(NDArray::close);
                    }
                    continue;
                }
                if (!saved.getShape().equals(weight.getShape())) {
                    throw new IllegalArgumentException("the checkpoint's optimizer state for '" + path
                            + "' has shape " + saved.getShape() + ", the weight " + weight.getShape()
                            + ": it belongs to another model");
                }
                NDArray s = weight.getManager().create(saved.getShape(), weight.getDataType());
                saved.toType(weight.getDataType(), false).copyTo(s);
                NDScope.unregister(s);
                Map<Device, NDArray> perDevice = slots.get(i).computeIfAbsent(id,
                        k -> new java.util.concurrent.ConcurrentHashMap<>());
                NDArray old = perDevice.put(weight.getDevice(), s);
                if (old != null) {
                    old.close();
                }
            }
        }
        rateControl.restore(state.rateFactor(), state.rateValue());
    }

    private String path(String id) {
        return paths.getOrDefault(id, id);
    }

    /** What callbacks do to the learning rate of this optimizer. */
    RateControl rateControl() {
        return rateControl;
    }

    /**
     * Frees the optimizer's state (moments, accumulators). Its arrays live beside the weights, in
     * the model's manager, so without this every {@code fit} would leave one set behind.
     */
    @Override
    public void close() {
        scalars.close();
        for (Map<String, Map<Device, NDArray>> slot : slots) {
            for (Map<Device, NDArray> perDevice : slot.values()) {
                perDevice.values().forEach(NDArray::close);
            }
            slot.clear();
        }
    }

    /**
     * Clears the weight's gradient once it is used, as DJL's own optimizers do: PyTorch adds each
     * backward pass to the stored gradient, so without this every step would also apply all the
     * earlier gradients. (MXNet overwrites gradients; clearing them there is harmless.)
     */
    private static void zeroGradient(NDArray weight) {
        if (weight.hasGradient()) {
            Gradients.clear(weight, weight.getGradient());
        }
    }

    /** {@code a · v} in {@code a}'s memory, {@code v} an array kept across steps where it helps. */
    final NDArray muli(NDArray a, float v) {
        return scalars.muli(a, v);
    }

    /** {@code a · v}, a new array, {@code v} kept as {@link #muli} keeps it. */
    final NDArray mul(NDArray a, float v) {
        return scalars.mul(a, v);
    }

    /** {@code a + v} in {@code a}'s memory, {@code v} kept as {@link #muli} keeps it. */
    final NDArray addi(NDArray a, float v) {
        return scalars.addi(a, v);
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

    /**
     * {@link #step} where {@code g} is the rule's to overwrite: a rule may work in it in place
     * instead of making temporary arrays, with the same operations in the same order, so the
     * same numbers. By default, {@link #step}.
     */
    void stepOwned(NDArray weight, NDArray g, NDArray[] state, int t, double lr) {
        step(weight, g, state, t, lr);
    }

    /** DJL's builder, left at its defaults: Lamina applies no rescaling, clipping or decay of DJL's. */
    private static final class Settings extends OptimizerBuilder<Settings> {
        @Override
        protected Settings self() {
            return this;
        }
    }
}
