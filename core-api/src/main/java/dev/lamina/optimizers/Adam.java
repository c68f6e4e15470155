package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code adam}, in Keras 3's form: at step t,
 * {@code alpha = lr·sqrt(1−beta_2^t)/(1−beta_1^t)}, {@code m += (g−m)(1−beta_1)},
 * {@code v += (g²−v)(1−beta_2)}, {@code w -= alpha·m/(sqrt(v)+epsilon)}. With amsgrad the
 * denominator uses the running maximum of v.
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param beta1 in [0, 1) (default 0.9)
 * @param beta2 in [0, 1) (default 0.999)
 * @param epsilon > 0 (default 1e-7)
 * @param amsgrad use the AMSGrad variant (default false)
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record Adam(LearningRate learningRate, double beta1, double beta2, double epsilon, boolean amsgrad,
        Clipping clipping, WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, written once (the constructors, the file reader, {@link Optimizers}). */
    static final double LEARNING_RATE = 0.001;
    static final double BETA_1 = 0.9;
    static final double BETA_2 = 0.999;
    static final double EPSILON = 1e-7;

    /** The type name in files. */
    public static final String TYPE = "adam";

    public Adam {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        checkAdam(TYPE, learningRate, beta1, beta2, epsilon, clipping, weightDecay);
    }

    /** Adam without weight decay. */
    public Adam(LearningRate learningRate, double beta1, double beta2, double epsilon, boolean amsgrad,
            Clipping clipping) {
        this(learningRate, beta1, beta2, epsilon, amsgrad, clipping, WeightDecay.NONE);
    }

    /** Adam with a constant rate and Keras's other defaults. */
    public Adam(double learningRate) {
        this(LearningRate.constant(learningRate), BETA_1, BETA_2, EPSILON, false, Clipping.NONE);
    }

    /** The config of an optimizer of Adam's family without further settings (Adamax, Nadam). */
    static Map<String, Object> betasConfig(LearningRate lr, double beta1, double beta2,
            double epsilon, Clipping clipping, WeightDecay weightDecay) {
        Map<String, Object> c = Spec.ordered("learning_rate", lr.toConfig(), "beta_1", beta1,
                "beta_2", beta2, "epsilon", epsilon);
        weightDecay.writeTo(c, false);
        clipping.writeTo(c);
        return c;
    }

    static void checkAdam(String type, LearningRate lr, double beta1, double beta2, double epsilon,
            Clipping clipping, WeightDecay weightDecay) {
        Checks.learningRate(type, lr);
        Checks.range(type, "beta_1", beta1, 0, true, 1, false);
        Checks.range(type, "beta_2", beta2, 0, true, 1, false);
        Checks.positive(type, "epsilon", epsilon);
        clipping.check(type);
        weightDecay.check(type);
    }


    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public Adam withClipnorm(double clipnorm) {
        return new Adam(learningRate, beta1, beta2, epsilon, amsgrad, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public Adam withClipvalue(double clipvalue) {
        return new Adam(learningRate, beta1, beta2, epsilon, amsgrad, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public Adam withGlobalClipnorm(double globalClipnorm) {
        return new Adam(learningRate, beta1, beta2, epsilon, amsgrad, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public Adam withWeightDecay(double weightDecay) {
        return new Adam(learningRate, beta1, beta2, epsilon, amsgrad, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public Adam excludeFromWeightDecay(String... names) {
        return new Adam(learningRate, beta1, beta2, epsilon, amsgrad, clipping, weightDecay.excluding(names));
    }

    /** This optimizer with the AMSGrad variant on or off. */
    public Adam withAmsgrad(boolean on) {
        return new Adam(learningRate, beta1, beta2, epsilon, on, clipping, weightDecay);
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static Adam fromMap(SpecMap m) {
        return new Adam(Optimizers.learningRate(m, LEARNING_RATE), m.getDouble("beta_1", BETA_1), m.getDouble("beta_2", BETA_2),
                m.getDouble("epsilon", EPSILON), m.getBoolean("amsgrad", false), Clipping.fromMap(m),
                WeightDecay.fromMap(m, 0));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = Spec.ordered("learning_rate", learningRate.toConfig(), "beta_1", beta1,
                "beta_2", beta2, "epsilon", epsilon, "amsgrad", amsgrad);
        weightDecay.writeTo(c, false);
        clipping.writeTo(c);
        return c;
    }

    @Override
    public Optimizer toDjl() {
        return new Rule(learningRate, weightDecay, beta1, beta2, epsilon, amsgrad, clipping);
    }

    /**
     * Adam's rule, Adam's and AdamW's (whose weight decay {@link UpdateRule} applies before the
     * step). State slots: 0 = m, 1 = v, 2 = max v (amsgrad only).
     */
    static final class Rule extends UpdateRule {
        private final double beta1;
        private final double beta2;
        private final float epsilon;
        private final boolean amsgrad;

        Rule(LearningRate lr, WeightDecay weightDecay, double beta1, double beta2, double epsilon, boolean amsgrad,
                Clipping clipping) {
            super(lr, clipping, weightDecay, amsgrad ? 3 : 2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = (float) epsilon;
            this.amsgrad = amsgrad;
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            adam(w, g, false, state, t, lr);
        }

        /** The same, with {@code g − m} made in the gradient's own memory. */
        @Override
        void stepOwned(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            adam(w, g, true, state, t, lr);
        }

        private void adam(NDArray w, NDArray g, boolean owned, NDArray[] state, int t, double lr) {
            double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            NDArray m = state[0];
            NDArray v = state[1];
            // v first: it needs the gradient as it came, and m may then use the gradient's memory
            v.addi(muli(g.square().subi(v), (float) (1 - beta2)));
            m.addi(muli(owned ? g.subi(m) : g.sub(m), (float) (1 - beta1)));
            NDArray second = v;
            if (amsgrad) {
                NDArray vMax = state[2];
                // vMax = max(vMax, v), exactly, in place: keep where vMax >= v, take v elsewhere
                NDArray take = v.gt(vMax).toType(v.getDataType(), false);
                NDArray keep = take.neg().addi(1f);
                vMax.muli(keep).addi(v.mul(take));
                second = vMax;
            }
            w.subi(mul(m, (float) alpha).divi(addi(second.sqrt(), epsilon)));
        }
    }
}
