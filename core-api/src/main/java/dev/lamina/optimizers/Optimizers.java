package dev.lamina.optimizers;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;
import dev.lamina.spec.SpecMap;

/**
 * The optimizers by Keras's names ({@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop},
 * {@code adagrad}, {@code adadelta}) and Java factories with Keras's defaults.
 */
public final class Optimizers {
    /** Name to parser. */
    public static final Catalog<OptimizerSpec> CATALOG = new Catalog<OptimizerSpec>("optimizer")
            .register(Sgd.TYPE, Sgd::fromMap)
            .register(Adam.TYPE, Adam::fromMap)
            .register(AdamW.TYPE, AdamW::fromMap)
            .register(RmsProp.TYPE, RmsProp::fromMap)
            .register(Adagrad.TYPE, Adagrad::fromMap)
            .register(Adadelta.TYPE, Adadelta::fromMap)
            .register(Adamax.TYPE, Adamax::fromMap)
            .register(Nadam.TYPE, Nadam::fromMap);

    private Optimizers() {}

    /** Parses a bare name ({@code adam}) or a one-key map ({@code {adam: {learning_rate: 0.01}}}). */
    public static OptimizerSpec parse(ConfigNode node) {
        return CATALOG.parse(node);
    }

    /** Parses a plain Java value: a name or a one-key map; an {@link OptimizerSpec} is returned as is. */
    public static OptimizerSpec of(Object nameOrMap) {
        return nameOrMap instanceof OptimizerSpec s ? s : CATALOG.parse(nameOrMap);
    }

    /** {@code learning_rate} from settings, or a constant {@code dflt}. */
    static LearningRate learningRate(SpecMap m, double dflt) {
        ConfigNode n = m.get("learning_rate");
        return n == null ? LearningRate.constant(dflt) : LearningRate.parse(n);
    }

    /** SGD with Keras's defaults (learning rate 0.01, no momentum). */
    public static Sgd sgd() {
        return sgd(Sgd.LEARNING_RATE);
    }

    /** Plain SGD. */
    public static Sgd sgd(double learningRate) {
        return new Sgd(learningRate, Sgd.MOMENTUM, false);
    }

    /** SGD with momentum. */
    public static Sgd sgd(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false);
    }

    /** SGD with momentum, Nesterov's when {@code nesterov}. */
    public static Sgd sgd(double learningRate, double momentum, boolean nesterov) {
        return new Sgd(learningRate, momentum, nesterov);
    }

    /** Adam with Keras's defaults (learning rate 0.001). */
    public static Adam adam() {
        return adam(Adam.LEARNING_RATE);
    }

    /** Adam with Keras's betas and epsilon. */
    public static Adam adam(double learningRate) {
        return new Adam(learningRate);
    }

    /** Adam with every setting. */
    public static Adam adam(double learningRate, double beta1, double beta2, double epsilon) {
        return new Adam(LearningRate.constant(learningRate), beta1, beta2, epsilon, false, Clipping.NONE);
    }

    /** AdamW with Keras's defaults (learning rate 0.001, weight decay 0.004). */
    public static AdamW adamw() {
        return adamw(AdamW.LEARNING_RATE);
    }

    /** AdamW with Keras's weight decay 0.004. */
    public static AdamW adamw(double learningRate) {
        return new AdamW(learningRate, AdamW.WEIGHT_DECAY);
    }

    /** AdamW with weight decay {@code weightDecay}. */
    public static AdamW adamw(double learningRate, double weightDecay) {
        return new AdamW(learningRate, weightDecay);
    }

    /** RMSprop with Keras's defaults (learning rate 0.001, rho 0.9). */
    public static RmsProp rmsprop() {
        return rmsprop(RmsProp.LEARNING_RATE);
    }

    /** RMSprop with Keras's rho, no momentum, not centered. */
    public static RmsProp rmsprop(double learningRate) {
        return new RmsProp(learningRate);
    }

    /** RMSprop with every setting. */
    public static RmsProp rmsprop(double learningRate, double rho, double momentum, double epsilon,
            boolean centered) {
        return new RmsProp(LearningRate.constant(learningRate), rho, momentum, epsilon, centered, Clipping.NONE);
    }

    /** Adagrad with Keras's defaults (learning rate 0.001). */
    public static Adagrad adagrad() {
        return adagrad(Adagrad.LEARNING_RATE);
    }

    /** Adagrad with Keras's initial accumulator (0.1) and epsilon. */
    public static Adagrad adagrad(double learningRate) {
        return new Adagrad(learningRate);
    }

    /** Adamax with Keras's defaults (learning rate 0.001). */
    public static Adamax adamax() {
        return adamax(Adamax.LEARNING_RATE);
    }

    /** Adamax with this learning rate and Keras's other defaults. */
    public static Adamax adamax(double learningRate) {
        return new Adamax(learningRate);
    }

    /** Nadam with Keras's defaults (learning rate 0.001). */
    public static Nadam nadam() {
        return nadam(Nadam.LEARNING_RATE);
    }

    /** Nadam with this learning rate and Keras's other defaults. */
    public static Nadam nadam(double learningRate) {
        return new Nadam(learningRate);
    }

    /** Adadelta with Keras's defaults (learning rate 0.001, rho 0.95). */
    public static Adadelta adadelta() {
        return adadelta(Adadelta.LEARNING_RATE);
    }

    /** Adadelta with Keras's rho and epsilon. */
    public static Adadelta adadelta(double learningRate) {
        return new Adadelta(learningRate);
    }
}
