package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code sgd}: gradient descent with optional momentum. Without momentum
 * {@code w -= lr·g}; with it {@code v = momentum·v − lr·g; w += v}, or with Nesterov
 * {@code w += momentum·v − lr·g}.
 *
 * @param learningRate the learning rate (Keras default 0.01)
 * @param momentum in [0, 1) (default 0)
 * @param nesterov Nesterov momentum (default false)
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record Sgd(LearningRate learningRate, double momentum, boolean nesterov, Clipping clipping,
        WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, written once (the constructors, the file reader, {@link Optimizers}). */
    static final double LEARNING_RATE = 0.01;
    static final double MOMENTUM = 0.0;

    /** The type name in files. */
    public static final String TYPE = "sgd";

    public Sgd {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        Checks.learningRate(TYPE, learningRate);
        Checks.range(TYPE, "momentum", momentum, 0, true, 1, false);
        clipping.check(TYPE);
        weightDecay.check(TYPE);
    }

    /** SGD without weight decay. */
    public Sgd(LearningRate learningRate, double momentum, boolean nesterov, Clipping clipping) {
        this(learningRate, momentum, nesterov, clipping, WeightDecay.NONE);
    }

    /** Plain SGD with a constant rate. */
    public Sgd(double learningRate, double momentum, boolean nesterov) {
        this(LearningRate.constant(learningRate), momentum, nesterov, Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public Sgd withClipnorm(double clipnorm) {
        return new Sgd(learningRate, momentum, nesterov, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public Sgd withClipvalue(double clipvalue) {
        return new Sgd(learningRate, momentum, nesterov, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public Sgd withGlobalClipnorm(double globalClipnorm) {
        return new Sgd(learningRate, momentum, nesterov, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public Sgd withWeightDecay(double weightDecay) {
        return new Sgd(learningRate, momentum, nesterov, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public Sgd excludeFromWeightDecay(String... names) {
        return new Sgd(learningRate, momentum, nesterov, clipping, weightDecay.excluding(names));
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static Sgd fromMap(SpecMap m) {
        return new Sgd(Optimizers.learningRate(m, LEARNING_RATE), m.getDouble("momentum", MOMENTUM),
                m.getBoolean("nesterov", false), Clipping.fromMap(m), WeightDecay.fromMap(m, 0));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = Spec.ordered("learning_rate", learningRate.toConfig(), "momentum", momentum,
                "nesterov", nesterov);
        weightDecay.writeTo(c, false);
        clipping.writeTo(c);
        return c;
    }

    @Override
    public Optimizer toDjl() {
        return new Rule(this);
    }

    private static final class Rule extends UpdateRule {
        private final float momentum;
        private final boolean nesterov;

        Rule(Sgd s) {
            super(s.learningRate, s.clipping, s.weightDecay, s.momentum == 0 ? 0 : 1);
            this.momentum = (float) s.momentum;
            this.nesterov = s.nesterov;
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            descend(w, mul(g, (float) lr), state);
        }

        /**
         * The same, scaling the gradient in its own memory; without momentum, by the engine's
         * fused kernel where it gives the same bits ({@link FusedSgd}).
         */
        @Override
        void stepOwned(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            if (momentum == 0 && FusedSgd.available(w)) {
                FusedSgd.step(w, g, (float) lr);
                return;
            }
            descend(w, muli(g, (float) lr), state);
        }

        /** One step by {@code scaled} = gradient · learning rate. */
        private void descend(NDArray w, NDArray scaled, NDArray[] state) {
            if (momentum == 0) {
                w.subi(scaled);
                return;
            }
            NDArray v = state[0];
            muli(v, momentum).subi(scaled);
            if (nesterov) {
                w.addi(mul(v, momentum).subi(scaled));
            } else {
                w.addi(v);
            }
        }
    }
}
