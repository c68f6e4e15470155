package dev.lamina.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecMap;
import java.util.Map;

/**
 * Keras's {@code adagrad}: {@code a += g²; w -= lr·g / sqrt(a + epsilon)}, with the accumulator
 * {@code a} starting at {@code initial_accumulator_value}. (Keras 3 puts epsilon inside the square
 * root; Keras 2's docs wrote {@code sqrt(a) + epsilon}.)
 *
 * @param learningRate the learning rate (Keras default 0.001)
 * @param initialAccumulatorValue the accumulator's start, >= 0 (default 0.1)
 * @param epsilon > 0 (default 1e-7)
 * @param clipping gradient clipping (default none)
 * @param weightDecay Keras's decoupled weight decay and the weights it leaves out (default none)
 */
public record Adagrad(LearningRate learningRate, double initialAccumulatorValue, double epsilon,
        Clipping clipping, WeightDecay weightDecay) implements OptimizerSpec {
    /** Keras's defaults, written once (the constructors, the file reader, {@link Optimizers}). */
    static final double LEARNING_RATE = 0.001;
    static final double INITIAL_ACCUMULATOR_VALUE = 0.1;
    static final double EPSILON = 1e-7;

    /** The type name in files. */
    public static final String TYPE = "adagrad";

    public Adagrad {
        clipping = clipping == null ? Clipping.NONE : clipping;
        weightDecay = weightDecay == null ? WeightDecay.NONE : weightDecay;
        Checks.learningRate(TYPE, learningRate);
        Checks.nonNegative(TYPE, "initial_accumulator_value", initialAccumulatorValue);
        Checks.positive(TYPE, "epsilon", epsilon);
        clipping.check(TYPE);
        weightDecay.check(TYPE);
    }

    /** Adagrad without weight decay. */
    public Adagrad(LearningRate learningRate, double initialAccumulatorValue, double epsilon, Clipping clipping) {
        this(learningRate, initialAccumulatorValue, epsilon, clipping, WeightDecay.NONE);
    }

    /** Adagrad with a constant rate and Keras's other defaults. */
    public Adagrad(double learningRate) {
        this(LearningRate.constant(learningRate), INITIAL_ACCUMULATOR_VALUE, EPSILON, Clipping.NONE);
    }

    /** This optimizer with gradients clipped to L2 norm {@code clipnorm}. */
    public Adagrad withClipnorm(double clipnorm) {
        return new Adagrad(learningRate, initialAccumulatorValue, epsilon, Clipping.byNorm(clipnorm), weightDecay);
    }

    /** This optimizer with gradient elements clipped to [−clipvalue, clipvalue]. */
    public Adagrad withClipvalue(double clipvalue) {
        return new Adagrad(learningRate, initialAccumulatorValue, epsilon, Clipping.byValue(clipvalue), weightDecay);
    }

    /** This optimizer with all gradients clipped together to global L2 norm {@code globalClipnorm}. */
    public Adagrad withGlobalClipnorm(double globalClipnorm) {
        return new Adagrad(learningRate, initialAccumulatorValue, epsilon, Clipping.byGlobalNorm(globalClipnorm), weightDecay);
    }

    /** This optimizer with Keras's decoupled weight decay {@code w -= w·weightDecay·lr} before each step. */
    public Adagrad withWeightDecay(double weightDecay) {
        return new Adagrad(learningRate, initialAccumulatorValue, epsilon, clipping, new WeightDecay(weightDecay, this.weightDecay.exclude()));
    }

    /**
     * This optimizer leaving undecayed the weights whose names contain one of {@code names}
     * (Keras's {@code exclude_from_weight_decay(var_names=...)}), such as {@code "bias", "gamma", "beta"}.
     */
    public Adagrad excludeFromWeightDecay(String... names) {
        return new Adagrad(learningRate, initialAccumulatorValue, epsilon, clipping, weightDecay.excluding(names));
    }

    /** Reads the settings written by {@link #config()} (Keras names and defaults). */
    static Adagrad fromMap(SpecMap m) {
        return new Adagrad(Optimizers.learningRate(m, LEARNING_RATE), m.getDouble("initial_accumulator_value", INITIAL_ACCUMULATOR_VALUE),
                m.getDouble("epsilon", EPSILON), Clipping.fromMap(m), WeightDecay.fromMap(m, 0));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = Spec.ordered("learning_rate", learningRate.toConfig(),
                "initial_accumulator_value", initialAccumulatorValue, "epsilon", epsilon);
        weightDecay.writeTo(c, false);
        clipping.writeTo(c);
        return c;
    }

    @Override
    public Optimizer toDjl() {
        return new Rule(this);
    }

    private static final class Rule extends UpdateRule {
        private final float initial;
        private final float epsilon;

        Rule(Adagrad s) {
            super(s.learningRate, s.clipping, s.weightDecay, 1);
            this.initial = (float) s.initialAccumulatorValue;
            this.epsilon = (float) s.epsilon;
        }

        @Override
        NDArray initialState(int slot, NDArray weight) {
            return weight.zerosLike().addi(initial);
        }

        @Override
        void step(NDArray w, NDArray g, NDArray[] state, int t, double lr) {
            NDArray a = state[0];
            a.addi(g.square());
            w.subi(g.mul((float) lr).divi(a.add(epsilon).sqrt()));
        }
    }
}
