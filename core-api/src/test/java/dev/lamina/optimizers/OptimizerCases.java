package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.testing.TestEngines;
import java.util.List;
import java.util.function.Supplier;

/** The optimizer settings the update tests run, with their hand-written references. */
final class OptimizerCases {
    private OptimizerCases() {}

    /** One optimizer under test and its reference rule. */
    record Case(String name, OptimizerSpec spec, Supplier<Reference.Rule> reference) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final float[] W0 = {0.5f, -1.25f, 2.0f, 0.75f, -0.3f};
    /** Three gradients; the third has a 0 so AMSGrad's maximum keeps an old value. */
    static final float[][] GRADS = {
        {0.1f, -0.4f, 1.5f, -2.0f, 0.05f},
        {-0.3f, 0.2f, 0.9f, 0.6f, -1.1f},
        {0.25f, 0f, -0.7f, 1.2f, 0.4f},
    };

    static List<Case> all() {
        return List.of(
                new Case("sgd", Optimizers.sgd(0.1), Reference.sgd(0.1, 0, false)),
                new Case("sgd momentum", Optimizers.sgd(0.1, 0.9), Reference.sgd(0.1, 0.9, false)),
                new Case("sgd nesterov", Optimizers.sgd(0.1, 0.9, true), Reference.sgd(0.1, 0.9, true)),
                new Case("sgd clipvalue", Optimizers.sgd(0.1).withClipvalue(0.5),
                        Reference.clipped(null, 0.5, Reference.sgd(0.1, 0, false))),
                new Case("adagrad", Optimizers.adagrad(0.1), Reference.adagrad(0.1, 0.1, 1e-7)),
                new Case("rmsprop", Optimizers.rmsprop(0.01), Reference.rmsprop(0.01, 0.9, 0, 1e-7, false)),
                new Case("rmsprop centered momentum", Optimizers.rmsprop(0.01, 0.8, 0.5, 1e-7, true),
                        Reference.rmsprop(0.01, 0.8, 0.5, 1e-7, true)),
                new Case("rmsprop momentum", Optimizers.rmsprop(0.01, 0.9, 0.9, 1e-7, false),
                        Reference.rmsprop(0.01, 0.9, 0.9, 1e-7, false)),
                new Case("adam", Optimizers.adam(0.1), Reference.adam(0.1, 0, 0.9, 0.999, 1e-7, false)),
                new Case("adam amsgrad", Optimizers.adam(0.1).withAmsgrad(true),
                        Reference.adam(0.1, 0, 0.9, 0.999, 1e-7, true)),
                new Case("adam clipnorm", Optimizers.adam(0.1).withClipnorm(1.0),
                        Reference.clipped(1.0, null, Reference.adam(0.1, 0, 0.9, 0.999, 1e-7, false))),
                new Case("adamw", Optimizers.adamw(0.1, 0.05), Reference.adam(0.1, 0.05, 0.9, 0.999, 1e-7, false)),
                new Case("adadelta", Optimizers.adadelta(50), Reference.adadelta(50, 0.95, 1e-7)),
                new Case("adamax", Optimizers.adamax(0.1), Reference.adamax(0.1, 0.9, 0.999, 1e-7)),
                new Case("nadam", Optimizers.nadam(0.1), Reference.nadam(0.1, 0.9, 0.999, 1e-7)),
                // Keras 3's weight_decay on every optimizer: w -= w·weight_decay·lr, then the rule
                new Case("sgd weight_decay", Optimizers.sgd(0.1, 0.9).withWeightDecay(0.5),
                        Reference.decayed(0.1, 0.5, Reference.sgd(0.1, 0.9, false))),
                new Case("rmsprop weight_decay", Optimizers.rmsprop(0.01).withWeightDecay(2),
                        Reference.decayed(0.01, 2, Reference.rmsprop(0.01, 0.9, 0, 1e-7, false))),
                new Case("adagrad weight_decay", Optimizers.adagrad(0.1).withWeightDecay(0.5),
                        Reference.decayed(0.1, 0.5, Reference.adagrad(0.1, 0.1, 1e-7))),
                new Case("adadelta weight_decay", Optimizers.adadelta(50).withWeightDecay(0.001),
                        Reference.decayed(50, 0.001, Reference.adadelta(50, 0.95, 1e-7))),
                new Case("adam weight_decay", Optimizers.adam(0.1).withWeightDecay(0.5),
                        Reference.decayed(0.1, 0.5, Reference.adam(0.1, 0, 0.9, 0.999, 1e-7, false))),
                new Case("adamax weight_decay", Optimizers.adamax(0.1).withWeightDecay(0.5),
                        Reference.decayed(0.1, 0.5, Reference.adamax(0.1, 0.9, 0.999, 1e-7))),
                new Case("nadam weight_decay", Optimizers.nadam(0.1).withWeightDecay(0.5),
                        Reference.decayed(0.1, 0.5, Reference.nadam(0.1, 0.9, 0.999, 1e-7))),
                new Case("adamw excluding others", Optimizers.adamw(0.1, 0.05).excludeFromWeightDecay("bias"),
                        Reference.adam(0.1, 0.05, 0.9, 0.999, 1e-7, false)),
                new Case("adam excluding w", Optimizers.adam(0.1).withWeightDecay(0.5).excludeFromWeightDecay("^w$"),
                        Reference.adam(0.1, 0, 0.9, 0.999, 1e-7, false)));
    }

    /**
     * The weight after each of the steps, as computed by {@code spec}'s DJL optimizer on {@code engine}.
     * The optimizer is driven directly, unbound, so the weight's name is its id, {@code w}.
     */
    static float[][] runDjl(String engine, OptimizerSpec spec) {
        try (NDManager manager = TestEngines.manager(engine)) {
            NDArray w = manager.create(W0);
            Optimizer optimizer = spec.toDjl();
            float[][] out = new float[GRADS.length][];
            for (int s = 0; s < GRADS.length; s++) {
                NDArray g = manager.create(GRADS[s]);
                optimizer.update("w", w, g);
                out[s] = w.toFloatArray();
            }
            return out;
        }
    }

    /** The weight after each of the steps by the reference rule. */
    static double[][] runReference(Supplier<Reference.Rule> reference) {
        Reference.Rule rule = reference.get();
        double[] w = toDoubles(W0);
        double[][] out = new double[GRADS.length][];
        for (int s = 0; s < GRADS.length; s++) {
            rule.step(w, toDoubles(GRADS[s]), s + 1);
            out[s] = w.clone();
        }
        return out;
    }

    static double[] toDoubles(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
