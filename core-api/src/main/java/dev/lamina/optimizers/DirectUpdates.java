package dev.lamina.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.engine.Gradients;
import java.util.HashMap;
import java.util.Map;

/**
 * The optimizer's step over the weights a forward pass used, on one device, without DJL's
 * parameter server in between. DJL's trainer copies every gradient before it hands it to the
 * optimizer (its server adds up the copies of several devices); with one device that copy is a
 * pass over every weight's worth of memory per step, for nothing. Here a Lamina rule gets the
 * weight's own gradient, which it may overwrite as it goes ({@link UpdateRule#stepOwned}) since
 * the update is its last use (after it the gradient is cleared, or on MXNet written afresh by the
 * next backward pass: see {@link Gradients}): the same operations in the same order, so the same
 * numbers, with fewer passes over memory and no temporary arrays where a rule can work in place.
 *
 * <p>Forward passes run through {@link #parameterStore}: it records which weights the pass used,
 * and {@link ParameterStore#updateAllParameters()} then updates exactly those, as the trainer's
 * {@code step()} does. Call it inside an {@code NDScope}, which frees the step's temporary arrays
 * and gradient handles when it closes.
 *
 * <p><b>Fresh gradients on PyTorch.</b> PyTorch adds a backward pass's gradient into the one a
 * weight stores, so a loop that keeps the stored gradient must clear it after every update (a
 * pass writing every weight's worth of memory) and pays for the addition (a pass reading two and
 * writing one) in the next backward pass. Given a step's manager ({@link Store#beginStep}), the
 * store instead hands each forward pass a new leaf per trainable weight: the same memory, no
 * stored gradient. The backward pass then stores the gradient it computed as the leaf's own,
 * without adding or copying it, and the update reads it there; the leaf and its gradient go with
 * the step's manager. The numbers are the same: {@code 0 + g} is {@code g} (but for the sign of a
 * zero, which no update can tell apart). On MXNet, which writes gradients afresh anyway, and with
 * an optimizer that is not Lamina's, the weights themselves are used as before.
 */
public final class DirectUpdates implements ParameterServer {
    /** {@code -Dlamina.fresh.gradients=false} keeps PyTorch's stored gradients (for comparisons). */
    public static final String FRESH_PROPERTY = "lamina.fresh.gradients";

    private final Optimizer optimizer;
    private final Store store;

    private DirectUpdates(Optimizer optimizer, Store store) {
        this.optimizer = optimizer;
        this.store = store;
        if (optimizer instanceof UpdateRule rule) {
            rule.gradientsFrom(store::gradientOf);
        }
    }

    /**
     * A parameter store for forward passes on {@code device} whose
     * {@link ParameterStore#updateAllParameters()} runs {@code optimizer} on the weights used.
     */
    public static Store parameterStore(Optimizer optimizer, Device device, NDManager manager) {
        boolean fresh = optimizer instanceof UpdateRule
                && manager.getEngine().getEngineName().equals("PyTorch")
                && !"false".equals(System.getProperty(FRESH_PROPERTY));
        Store store = new Store(manager, fresh);
        store.setParameterServer(new DirectUpdates(optimizer, store), new Device[] {device});
        return store;
    }

    /**
     * The parameter store of {@link DirectUpdates}: on PyTorch, within a step begun by
     * {@link #beginStep}, a training forward pass gets a leaf of its own for each trainable
     * weight (see the class comment).
     */
    public static final class Store extends ParameterStore {
        private final boolean fresh;
        private final Map<String, NDArray> leaves = new HashMap<>();
        private final Map<String, NDArray> gradients = new HashMap<>();
        private NDManager step;

        private Store(NDManager manager, boolean fresh) {
            super(manager, false);
            this.fresh = fresh;
        }

        /**
         * A training step begins: its forward pass gets fresh leaves, which live in {@code
         * stepManager} with their gradients, and must outlive the step's update.
         */
        public void beginStep(NDManager stepManager) {
            leaves.clear();
            gradients.clear();
            this.step = fresh ? stepManager : null;
        }

        /** Whether a step's weights are leaves of its own, whose graph must not outlive it. */
        public boolean freshLeaves() {
            return step != null;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray weight = super.getValue(parameter, device, training);
            if (step == null || !training || parameter == null || !parameter.requiresGradient()) {
                return weight;
            }
            return leaves.computeIfAbsent(parameter.getId(), id -> {
                NDArray leaf = weight.stopGradient();
                leaf.attach(step);
                leaf.setRequiresGradient(true);
                return leaf;
            });
        }

        /**
         * The gradient of this step for {@code weight} (parameter {@code parameterId}): its leaf's
         * when the step gave it one, else the weight's stored gradient; null if it has none.
         */
        NDArray gradientOf(String parameterId, NDArray weight) {
            NDArray leaf = leaves.get(parameterId);
            if (leaf == null) {
                if (!weight.hasGradient()) {
                    return null;
                }
                NDArray g = weight.getGradient();
                Gradients.settle(weight, g); // read before its update (global_clipnorm)
                return g;
            }
            return gradients.computeIfAbsent(parameterId, id -> {
                NDArray g = leaf.getGradient(); // zeros when no gradient reached the leaf
                g.attach(step);
                return g;
            });
        }

        /** Whether the gradient of {@code parameterId} this step is a leaf's, dropped with it. */
        boolean isFresh(String parameterId) {
            return leaves.containsKey(parameterId);
        }
    }

    @Override
    public void init(String parameterId, NDArray[] value) {
        // the rules make their state at the first update
    }

    /**
     * Updates one weight by its gradient. The gradient handles are left to the caller's
     * {@code NDScope} (the training loop's batch), unlike DJL's default, which closes them at
     * once: on MXNet closing an array waits until the engine has computed it, which would wait
     * for every update as it is issued.
     */
    @Override
    public void update(String parameterId, NDArray[] params) {
        if (params.length == 1 && store.isFresh(parameterId)) {
            ((UpdateRule) optimizer).consume(parameterId, params[0],
                    store.gradientOf(parameterId, params[0]), false);
            return;
        }
        NDArray[] grads = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            grads[i] = params[i].getGradient();
        }
        update(parameterId, grads, params);
    }

    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        if (params.length != 1 || grads.length != 1) {
            throw new IllegalStateException("direct updates work on one device; '" + parameterId + "' is on "
                    + params.length);
        }
        if (optimizer instanceof UpdateRule rule) {
            rule.consume(parameterId, params[0], grads[0], true);
        } else {
            optimizer.update(parameterId, params[0], grads[0]);
        }
    }

    @Override
    public void close() {
        // nothing of its own: the optimizer's state belongs to the optimizer
    }
}
