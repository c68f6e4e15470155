package dev.lamina.optimizers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;

/**
 * The optimizer's step over the weights a forward pass used, on one device, without DJL's
 * parameter server in between. DJL's trainer copies every gradient before it hands it to the
 * optimizer (its server adds up the copies of several devices); with one device that copy is a
 * pass over every weight's worth of memory per step, for nothing. Here a Lamina rule gets the
 * weight's own gradient, which it may overwrite as it goes ({@link UpdateRule#stepOwned}) since
 * the gradient is cleared after the update anyway: the same operations in the same order, so the
 * same numbers, with fewer passes over memory and no temporary arrays where a rule can work in
 * place.
 *
 * <p>Forward passes run through {@link #parameterStore}: it records which weights the pass used,
 * and {@link ParameterStore#updateAllParameters()} then updates exactly those, as the trainer's
 * {@code step()} does. Call it inside an {@code NDScope}, which frees the step's temporary arrays
 * and gradient handles when it closes.
 */
public final class DirectUpdates implements ParameterServer {
    private final Optimizer optimizer;

    private DirectUpdates(Optimizer optimizer) {
        this.optimizer = optimizer;
    }

    /**
     * A parameter store for forward passes on {@code device} whose
     * {@link ParameterStore#updateAllParameters()} runs {@code optimizer} on the weights used.
     */
    public static ParameterStore parameterStore(Optimizer optimizer, Device device, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        store.setParameterServer(new DirectUpdates(optimizer), new Device[] {device});
        return store;
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
            rule.consume(parameterId, params[0], grads[0]);
        } else {
            optimizer.update(parameterId, params[0], grads[0]);
        }
    }

    @Override
    public void close() {
        // nothing of its own: the optimizer's state belongs to the optimizer
    }
}
