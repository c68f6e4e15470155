package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code adadelta}: {@code acc_g = rho·acc_g + (1−rho)·g²};
 * {@code delta = sqrt(acc_dx + epsilon)/sqrt(acc_g + epsilon)·g};
 * {@code acc_dx = rho·acc_dx + (1−rho)·delta²}; {@code w -= lr·delta}. Keras's default rate is
 * 0.001; the original paper's form is {@code learning_rate: 1.0}.
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param rho in (0, 1) (default 0.95)
 * @param epsilon > 0 (default 1e-7)
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record Adadelta(LearningRate learningRate, double rho, double epsilon, Clipping clipping,
        WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, written once (the constructors, the file reader, {@link Optimizers}). */
    static final double LEARNING_RATE = 0.001;
    static final double RHO = 0.95;
    static final double EPSILON = 1e-7;

    /** The type name in files. */
    public static final String TYPE = "adadelta";

    public Adadelta {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        Checks.learningRate(TYPE, learningRate);
        Checks.range(TYPE, "rho", rho, 0, false, 1, false);
        Checks.positive(TYPE, "epsilon", epsilon);
        clipping.check(TYPE);
        weightDecay.check(TYPE);
    }

    /** Adadelta without weight decay. */
    public Adadelta(LearningRate learningRate, double rho, double epsilon, Clipping clipping) {
        this(learningRate, rho, epsilon, clipping, WeightDecay.NONE);
    }

    /** Adadelta with a constant rate and Keras's other defaults. */
    public Adadelta(double learningRate) {
        this(LearningRate.constant(learningRate), RHO, EPSILON, Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public Adadelta withClipnorm(double clipnorm) {
        return new Adadelta(learningRate, rho, epsilon, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public Adadelta withClipvalue(double clipvalue) {
        return new Adadelta(learningRate, rho, epsilon, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public Adadelta withGlobalClipnorm(double globalClipnorm) {
        return new Adadelta(learningRate, rho, epsilon, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public Adadelta withWeightDecay(double weightDecay) {
        return new Adadelta(learningRate, rho, epsilon, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public Adadelta excludeFromWeightDecay(String... names) {
        return new Adadelta(learningRate, rho, epsilon, clipping, weightDecay.excluding(names));
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static Adadelta fromMap(SpecMap m) {
        return new Adadelta(Optimizers.learningRate(m, LEARNING_RATE), m.getDouble("rho", RHO),
                m.getDouble("epsilon", EPSILON), Clipping.fromMap(m), WeightDecay.fromMap(m, 0));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = Spec.ordered("learning_rate", learningRate.toConfig(), "rho", rho,
                "epsilon", epsilon);
        weightDecay.writeTo(c, false);
        clipping.writeTo(c);
        return c;
    }

    @Override
    public Optimizer toDjl() {
        return new Rule(this);
    }

    /** State slots: 0 = acc_g, 1 = acc_dx. */
    private static final class Rule extends UpdateRule {
        private final float rho;
        private final float oneMinusRho;
        private final float epsilon;

        Rule(Adadelta s) {
            super(s.learningRate, s.clipping, s.weightDecay, 2);
            this.rho = (float) s.rho;
            this.oneMinusRho = (float) (1 - s.rho);
            this.epsilon = (float) s.epsilon;
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            NDArray accG = state[0];
            NDArray accDx = state[1];
            accG.muli(rho).addi(g.square().muli(oneMinusRho));
            NDArray delta = accDx.add(epsilon).sqrt().divi(accG.add(epsilon).sqrt()).muli(g);
            accDx.muli(rho).addi(delta.square().muli(oneMinusRho));
            w.subi(delta.muli((float) lr));
        }
    }
}
