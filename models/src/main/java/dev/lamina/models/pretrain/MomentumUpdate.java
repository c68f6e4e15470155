package dev.lamina.models.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The update of layer-wise pretraining, written out: for each parameter θ with ascent direction
 * g (the CD estimate of the log-likelihood gradient, or minus an autoencoder's loss gradient),
 * {@code Δ ← momentum·Δ + rate·(g − decay·θ)}, {@code θ ← θ + Δ}, with the L2 weight decay on
 * the weight only (Hinton, "A practical guide to training restricted Boltzmann machines", 2010,
 * sections 9 and 10). Updates are in place; the velocities live in the step's own manager.
 */
final class MomentumUpdate implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] params;
    private final NDArray[] velocities;
    private final double rate;
    private final double momentum;
    private final double decay;

    /** Velocities of zero for {@code params}; the first is the weight (the one that decays). */
    MomentumUpdate(NDManager parent, PretrainSettings s, NDArray... params) {
        this.manager = parent.newSubManager();
        this.params = params.clone();
        this.velocities = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            velocities[i] = manager.zeros(params[i].getShape(), params[i].getDataType());
        }
        this.rate = s.learningRate();
        this.momentum = s.momentum();
        this.decay = s.weightDecay();
    }

    /** Applies ascent directions {@code g}, one per parameter, in the order given. */
    void step(NDArray... g) {
        for (int i = 0; i < params.length; i++) {
            NDArray direction = i == 0 && decay > 0 ? g[i].sub(params[i].mul(decay)) : g[i];
            velocities[i].muli(momentum).addi(direction.mul(rate));
            params[i].addi(velocities[i]);
        }
    }

    /** The manager the step keeps its own state in (the velocities, a persistent chain). */
    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
