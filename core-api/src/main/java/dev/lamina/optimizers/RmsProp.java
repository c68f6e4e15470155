package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code rmsprop}: {@code v = rho·v + (1−rho)·g²}; when centered also
 * {@code m = rho·m + (1−rho)·g} and the denominator is {@code v − m²}, else {@code v};
 * {@code increment = lr·g / sqrt(denominator + epsilon)}; with momentum
 * {@code mom = momentum·mom + increment; w -= mom}, else {@code w -= increment}.
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param rho in (0, 1) (default 0.9)
 * @param momentum in [0, 1) (default 0)
 * @param epsilon > 0 (default 1e-7)
 * @param centered divide by the gradient's estimated variance instead of its second moment
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record RmsProp(LearningRate learningRate, double rho, double momentum, double epsilon, boolean centered,
        Clipping clipping, WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, written once (the constructors, the file reader, {@link Optimizers}). */
    static final double LEARNING_RATE = 0.001;
    static final double RHO = 0.9;
    static final double MOMENTUM = 0.0;
    static final double EPSILON = 1e-7;

    /** The type name in files. */
    public static final String TYPE = "rmsprop";

    public RmsProp {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        Checks.learningRate(TYPE, learningRate);
        Checks.range(TYPE, "rho", rho, 0, false, 1, false);
        Checks.range(TYPE, "momentum", momentum, 0, true, 1, false);
        Checks.positive(TYPE, "epsilon", epsilon);
        clipping.check(TYPE);
        weightDecay.check(TYPE);
    }

    /** RMSprop without weight decay. */
    public RmsProp(LearningRate learningRate, double rho, double momentum, double epsilon, boolean centered,
            Clipping clipping) {
        this(learningRate, rho, momentum, epsilon, centered, clipping, WeightDecay.NONE);
    }

    /** RMSprop with a constant rate and Keras's other defaults. */
    public RmsProp(double learningRate) {
        this(LearningRate.constant(learningRate), RHO, MOMENTUM, EPSILON, false, Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public RmsProp withClipnorm(double clipnorm) {
        return new RmsProp(learningRate, rho, momentum, epsilon, centered, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public RmsProp withClipvalue(double clipvalue) {
        return new RmsProp(learningRate, rho, momentum, epsilon, centered, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public RmsProp withGlobalClipnorm(double globalClipnorm) {
        return new RmsProp(learningRate, rho, momentum, epsilon, centered, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public RmsProp withWeightDecay(double weightDecay) {
        return new RmsProp(learningRate, rho, momentum, epsilon, centered, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public RmsProp excludeFromWeightDecay(String... names) {
        return new RmsProp(learningRate, rho, momentum, epsilon, centered, clipping, weightDecay.excluding(names));
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static RmsProp fromMap(SpecMap m) {
        return new RmsProp(Optimizers.learningRate(m, LEARNING_RATE), m.getDouble("rho", RHO), m.getDouble("momentum", MOMENTUM),
                m.getDouble("epsilon", EPSILON), m.getBoolean("centered", false), Clipping.fromMap(m),
                WeightDecay.fromMap(m, 0));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = Spec.ordered("learning_rate", learningRate.toConfig(), "rho", rho,
                "momentum", momentum, "epsilon", epsilon, "centered", centered);
        weightDecay.writeTo(c, false);
        clipping.writeTo(c);
        return c;
    }

    @Override
    public Optimizer toDjl() {
        return new Rule(this);
    }

    /** State slots: 0 = v (mean square); 1 = mom, when momentum > 0; last = m (mean), when centered. */
    private static final class Rule extends UpdateRule {
        private final float rho;
        private final float oneMinusRho;
        private final float momentum;
        private final float epsilon;
        private final boolean centered;

        Rule(RmsProp s) {
            super(s.learningRate, s.clipping, s.weightDecay, 1 + (s.momentum > 0 ? 1 : 0) + (s.centered ? 1 : 0));
            this.rho = (float) s.rho;
            this.oneMinusRho = (float) (1 - s.rho);
            this.momentum = (float) s.momentum;
            this.epsilon = (float) s.epsilon;
            this.centered = s.centered;
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            NDArray v = state[0];
            v.muli(rho).addi(g.square().muli(oneMinusRho));
            NDArray denominator;
            if (centered) {
                NDArray mean = state[state.length - 1];
                mean.muli(rho).addi(g.mul(oneMinusRho));
                denominator = v.sub(mean.square());
            } else {
                denominator = v;
            }
            NDArray increment = g.mul((float) lr).divi(denominator.add(epsilon).sqrt());
            if (momentum > 0) {
                NDArray mom = state[1];
                mom.muli(momentum).addi(increment);
                w.subi(mom);
            } else {
                w.subi(increment);
            }
        }
    }
}
