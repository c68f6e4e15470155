package dev.lamina.optimizers;

import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code adamw}: Adam with decoupled weight decay on by default. Each step first shrinks
 * the weight, {@code w -= lr·weight_decay·w}, then takes {@link Adam}'s step. The decay is
 * {@link WeightDecay}, the same every optimizer takes; only the default differs (0.004).
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param weightDecay the decay, >= 0 (default 0.004), and the weights it leaves out (default none)
 * @param beta1 in [0, 1) (default 0.9)
 * @param beta2 in [0, 1) (default 0.999)
 * @param epsilon > 0 (default 1e-7)
 * @param amsgrad use the AMSGrad variant (default false)
 * @param clipping gradient clipping (default none)
 */
public record AdamW(LearningRate learningRate, WeightDecay weightDecay, double beta1, double beta2, double epsilon,
        boolean amsgrad, Clipping clipping) implements OptimizerSpec {
    /** Keras's defaults, written once (the constructors, the file reader, {@link Optimizers}). */
    static final double LEARNING_RATE = 0.001;
    static final double WEIGHT_DECAY = 0.004;
    static final double BETA_1 = 0.9;
    static final double BETA_2 = 0.999;
    static final double EPSILON = 1e-7;

    /** The type name in files. */
    public static final String TYPE = "adamw";

    public AdamW {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.of(WEIGHT_DECAY) : weightDecay;
        Adam.checkAdam(TYPE, learningRate, beta1, beta2, epsilon, clipping, weightDecay);
    }

    /** AdamW decaying every weight by {@code weightDecay}. */
    public AdamW(LearningRate learningRate, double weightDecay, double beta1, double beta2, double epsilon,
            boolean amsgrad, Clipping clipping) {
        this(learningRate, WeightDecay.of(weightDecay), beta1, beta2, epsilon, amsgrad, clipping);
    }

    /** AdamW with a constant rate, weight decay {@code weightDecay} and Keras's other defaults. */
    public AdamW(double learningRate, double weightDecay) {
        this(LearningRate.constant(learningRate), weightDecay, BETA_1, BETA_2, EPSILON, false,
                Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public AdamW withClipnorm(double clipnorm) {
        return new AdamW(learningRate, weightDecay, beta1, beta2, epsilon, amsgrad, Clipping.byNorm(clipnorm));
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public AdamW withClipvalue(double clipvalue) {
        return new AdamW(learningRate, weightDecay, beta1, beta2, epsilon, amsgrad, Clipping.byValue(clipvalue));
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public AdamW withGlobalClipnorm(double globalClipnorm) {
        return new AdamW(learningRate, weightDecay, beta1, beta2, epsilon, amsgrad,
                Clipping.byGlobalNorm(globalClipnorm));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public AdamW excludeFromWeightDecay(String... names) {
        return new AdamW(learningRate, weightDecay.excluding(names), beta1, beta2, epsilon, amsgrad, clipping);
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static AdamW fromMap(SpecMap m) {
        return new AdamW(Optimizers.learningRate(m, LEARNING_RATE), WeightDecay.fromMap(m, WEIGHT_DECAY),
                m.getDouble("beta_1", BETA_1), m.getDouble("beta_2", BETA_2), m.getDouble("epsilon", EPSILON),
                m.getBoolean("amsgrad", false), Clipping.fromMap(m));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = Spec.ordered("learning_rate", learningRate.toConfig());
        weightDecay.writeTo(c, true);
        c.putAll(Spec.ordered("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon, "amsgrad", amsgrad));
        clipping.writeTo(c);
        return c;
    }

    @Override
    public Optimizer toDjl() {
        return new Adam.Rule(learningRate, weightDecay, beta1, beta2, epsilon, amsgrad, clipping);
    }
}
