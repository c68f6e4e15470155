package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code nadam}, Adam with Nesterov momentum (Dozat, 2016), with Keras's momentum
 * schedule {@code μ_t = β1·(1 − 0.5·0.96^(0.004·t))}:
 * {@code m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * m̂ = μ_{t+1}·m / (1 − Π_{s≤t+1} μ_s) + (1 − μ_t)·g / (1 − Π_{s≤t} μ_s);
 * v̂ = v / (1 − β2^t); w -= lr·m̂ / (sqrt(v̂) + epsilon)}.
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param beta1 in [0, 1) (default 0.9)
 * @param beta2 in [0, 1) (default 0.999)
 * @param epsilon > 0 (default 1e-7)
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record Nadam(LearningRate learningRate, double beta1, double beta2, double epsilon,
        Clipping clipping, WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, the same as Adam's. */
    static final double LEARNING_RATE = Adam.LEARNING_RATE;

    /** The type name in files. */
    public static final String TYPE = "nadam";

    public Nadam {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        Adam.checkAdam(TYPE, learningRate, beta1, beta2, epsilon, clipping, weightDecay);
    }

    /** Nadam without weight decay. */
    public Nadam(LearningRate learningRate, double beta1, double beta2, double epsilon, Clipping clipping) {
        this(learningRate, beta1, beta2, epsilon, clipping, WeightDecay.NONE);
    }

    /** Nadam with a constant rate and Keras's other defaults. */
    public Nadam(double learningRate) {
        this(LearningRate.constant(learningRate), Adam.BETA_1, Adam.BETA_2, Adam.EPSILON,
                Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public Nadam withClipnorm(double clipnorm) {
        return new Nadam(learningRate, beta1, beta2, epsilon, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public Nadam withClipvalue(double clipvalue) {
        return new Nadam(learningRate, beta1, beta2, epsilon, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public Nadam withGlobalClipnorm(double globalClipnorm) {
        return new Nadam(learningRate, beta1, beta2, epsilon, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public Nadam withWeightDecay(double weightDecay) {
        return new Nadam(learningRate, beta1, beta2, epsilon, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public Nadam excludeFromWeightDecay(String... names) {
        return new Nadam(learningRate, beta1, beta2, epsilon, clipping, weightDecay.excluding(names));
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static Nadam fromMap(SpecMap m) {
        return new Nadam(Optimizers.learningRate(m, LEARNING_RATE),
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

    /** Keras's momentum schedule at step {@code t} (counting from 1). */
    static double mu(double beta1, int t) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
    }

    /** State slots: 0 = m, 1 = v. */
    private static final class Rule extends UpdateRule {
        private final Nadam s;
        /** Π_{s≤t} μ_s for the last t asked for: every weight of a step shares it. */
        private int productAt;
        private double product = 1;

        Rule(Nadam s) {
            super(s.learningRate, s.clipping, s.weightDecay, 2);
            this.s = s;
        }

        private double product(int t) {
            if (t < productAt) {
                productAt = 0;
                product = 1;
            }
            while (productAt < t) {
                productAt++;
                product *= mu(s.beta1, productAt);
            }
            return product;
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            double muT = mu(s.beta1, t);
            double muNext = mu(s.beta1, t + 1);
            double prodT = product(t);
            double prodNext = prodT * muNext;
            NDArray m = state[0];
            NDArray v = state[1];
            m.addi(g.sub(m).muli((float) (1 - s.beta1)));
            v.addi(g.square().subi(v).muli((float) (1 - s.beta2)));
            NDArray mHat = m.mul((float) (muNext / (1 - prodNext)))
                    .addi(g.mul((float) ((1 - muT) / (1 - prodT))));
            NDArray vHat = v.div((float) (1 - Math.pow(s.beta2, t)));
            w.subi(mHat.muli((float) lr).divi(vHat.sqrt().addi((float) s.epsilon)));
        }
    }
}
