package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code adamax}, Adam with the infinity norm (Kingma &amp; Ba, 2015, section 7.1):
 * {@code m = β1·m + (1 − β1)·g; u = max(β2·u, |g|); w -= lr / (1 − β1^t) · m / (u + epsilon)}.
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param beta1 in [0, 1) (default 0.9)
 * @param beta2 in [0, 1) (default 0.999)
 * @param epsilon > 0 (default 1e-7)
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record Adamax(LearningRate learningRate, double beta1, double beta2, double epsilon,
        Clipping clipping, WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, the same as Adam's. */
    static final double LEARNING_RATE = Adam.LEARNING_RATE;

    /** The type name in files. */
    public static final String TYPE = "adamax";

    public Adamax {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        Adam.checkAdam(TYPE, learningRate, beta1, beta2, epsilon, clipping, weightDecay);
    }

    /** Adamax without weight decay. */
    public Adamax(LearningRate learningRate, double beta1, double beta2, double epsilon, Clipping clipping) {
        this(learningRate, beta1, beta2, epsilon, clipping, WeightDecay.NONE);
    }

    /** Adamax with a constant rate and Keras's other defaults. */
    public Adamax(double learningRate) {
        this(LearningRate.constant(learningRate), Adam.BETA_1, Adam.BETA_2, Adam.EPSILON,
                Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public Adamax withClipnorm(double clipnorm) {
        return new Adamax(learningRate, beta1, beta2, epsilon, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public Adamax withClipvalue(double clipvalue) {
        return new Adamax(learningRate, beta1, beta2, epsilon, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public Adamax withGlobalClipnorm(double globalClipnorm) {
        return new Adamax(learningRate, beta1, beta2, epsilon, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public Adamax withWeightDecay(double weightDecay) {
        return new Adamax(learningRate, beta1, beta2, epsilon, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public Adamax excludeFromWeightDecay(String... names) {
        return new Adamax(learningRate, beta1, beta2, epsilon, clipping, weightDecay.excluding(names));
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static Adamax fromMap(SpecMap m) {
        return new Adamax(Optimizers.learningRate(m, LEARNING_RATE),
                m.getDouble("beta_1", Adam.BETA_1), m.getDouble("beta_2", Adam.BETA_2),
                m.getDouble("epsilon", Adam.EPSILON), Clipping.fromMap(m), WeightDecay.fromMap(m, 0));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        return Adam.betasConfig(learningRate, beta1, beta2, epsilon, clipping, weightDecay);
    }

    @Override
    public Optimizer toDjl() {
        return new Rule(this);
    }

    /** State slots: 0 = m, 1 = u (the decayed infinity norm). */
    private static final class Rule extends UpdateRule {
        private final Adamax s;

        Rule(Adamax s) {
            super(s.learningRate, s.clipping, s.weightDecay, 2);
            this.s = s;
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            NDArray m = state[0];
            NDArray u = state[1];
            m.addi(g.sub(m).muli((float) (1 - s.beta1)));
            // u = max(β2·u, |g|), in place, exactly: keep where β2·u >= |g|, else take |g|
            NDArray decayed = u.mul((float) s.beta2);
            NDArray abs = g.abs();
            NDArray take = abs.gt(decayed).toType(u.getDataType(), false);
            u.muli(0f).addi(decayed.mul(take.neg().add(1f))).addi(abs.mul(take));
            double alpha = lr / (1 - Math.pow(s.beta1, t));
            w.subi(m.mul((float) alpha).divi(u.add((float) s.epsilon)));
        }
    }
}
