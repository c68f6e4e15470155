package dev.lamina.losses;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.SpecMap;
import java.util.function.Function;
import dev.lamina.spec.ConfigNode;

/**
 * The losses by Keras's names (and common aliases):
 *
 * <ul>
 *   <li>{@code mean_squared_error} / {@code mse}, {@code mean_absolute_error} / {@code mae};
 *   <li>{@code softmax_cross_entropy} (integer ids, {@code from_logits} default true) and
 *       {@code sparse_categorical_crossentropy} (the same, default false);
 *   <li>{@code categorical_crossentropy} (one-hot labels, {@code from_logits} default false,
 *       {@code label_smoothing} default 0) and {@code softmax_cross_entropy_one_hot} (default true);
 *   <li>{@code binary_crossentropy} ({@code from_logits} default false, {@code label_smoothing}
 *       default 0);
 *   <li>{@code negative_log_likelihood} / {@code nll} (log-probabilities, integer ids);
 *   <li>{@code hinge}, {@code squared_hinge};
 *   <li>{@code cosine_similarity} (minus the cosine over the last axis).
 * </ul>
 */
public final class Losses {
    /** Name to parser. */
    public static final Catalog<LossSpec> CATALOG = new Catalog<>("loss");

    static {
        for (String n : new String[] {"mean_squared_error", "mse"}) {
            register(n, m -> new MeanSquaredError(n));
        }
        for (String n : new String[] {"mean_absolute_error", "mae"}) {
            register(n, m -> new MeanAbsoluteError(n));
        }
        register("softmax_cross_entropy",
                m -> new SoftmaxCrossEntropy("softmax_cross_entropy", m.getBoolean("from_logits", true)));
        register("sparse_categorical_crossentropy",
                m -> new SoftmaxCrossEntropy("sparse_categorical_crossentropy",
                        m.getBoolean("from_logits", false)));
        register("categorical_crossentropy",
                m -> new CategoricalCrossentropy("categorical_crossentropy",
                        m.getBoolean("from_logits", false), m.getDouble("label_smoothing", 0)));
        register("softmax_cross_entropy_one_hot",
                m -> new CategoricalCrossentropy("softmax_cross_entropy_one_hot",
                        m.getBoolean("from_logits", true), m.getDouble("label_smoothing", 0)));
        register("binary_crossentropy",
                m -> new BinaryCrossentropy("binary_crossentropy", m.getBoolean("from_logits", false),
                        m.getDouble("label_smoothing", 0)));
        for (String n : new String[] {"negative_log_likelihood", "nll"}) {
            register(n, m -> new NegativeLogLikelihood(n));
        }
        register("hinge", m -> new Hinge("hinge"));
        register("squared_hinge", m -> new SquaredHinge("squared_hinge"));
        register(Huber.TYPE, m -> new Huber(m.getDouble("delta", 1.0)))
                .shorthand(Huber.TYPE, "delta");
        register(LogCosh.TYPE, m -> new LogCosh());
        register(Poisson.TYPE, m -> new Poisson());
        register(KlDivergence.TYPE, m -> new KlDivergence());
        register(CosineSimilarity.TYPE, m -> new CosineSimilarity());
    }

    private Losses() {}

    /** Registers a loss whose settings also take Keras's {@code reduction}. */
    private static Catalog<LossSpec> register(String type, Function<SpecMap, LossSpec> parser) {
        return CATALOG.register(type, m -> {
            Reduction reduction = Reduction.fromMap(m);
            return parser.apply(m).withReduction(reduction);
        });
    }

    /** Parses a name or {@code {name: {settings}}}. */
    public static LossSpec parse(ConfigNode node) {
        return CATALOG.parse(node);
    }

    /** A loss from a plain name or map as Java users write it ({@code "mse"}), or the spec itself. */
    public static LossSpec of(Object nameOrMap) {
        return nameOrMap instanceof LossSpec s ? s : CATALOG.parse(nameOrMap);
    }

    /** {@code mean_squared_error}, the quadratic cost. */
    public static MeanSquaredError meanSquaredError() {
        return new MeanSquaredError("mean_squared_error");
    }

    /** {@code mean_absolute_error}. */
    public static MeanAbsoluteError meanAbsoluteError() {
        return new MeanAbsoluteError("mean_absolute_error");
    }

    /** {@code softmax_cross_entropy}: integer ids against logits. */
    public static SoftmaxCrossEntropy softmaxCrossEntropy() {
        return softmaxCrossEntropy(true);
    }

    /** {@code softmax_cross_entropy} with {@code from_logits} as given. */
    public static SoftmaxCrossEntropy softmaxCrossEntropy(boolean fromLogits) {
        return new SoftmaxCrossEntropy("softmax_cross_entropy", fromLogits);
    }

    /** {@code sparse_categorical_crossentropy}: integer ids against probabilities (Keras's default). */
    public static SoftmaxCrossEntropy sparseCategoricalCrossentropy() {
        return sparseCategoricalCrossentropy(false);
    }

    /** {@code sparse_categorical_crossentropy} with {@code from_logits} as given. */
    public static SoftmaxCrossEntropy sparseCategoricalCrossentropy(boolean fromLogits) {
        return new SoftmaxCrossEntropy("sparse_categorical_crossentropy", fromLogits);
    }

    /** {@code categorical_crossentropy}: one-hot labels against probabilities (Keras's default). */
    public static CategoricalCrossentropy categoricalCrossentropy() {
        return categoricalCrossentropy(false);
    }

    /** {@code categorical_crossentropy} with {@code from_logits} as given. */
    public static CategoricalCrossentropy categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropy("categorical_crossentropy", fromLogits, 0);
    }

    /** {@code categorical_crossentropy} with {@code from_logits} and {@code label_smoothing}. */
    public static CategoricalCrossentropy categoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        return new CategoricalCrossentropy("categorical_crossentropy", fromLogits, labelSmoothing);
    }

    /** {@code softmax_cross_entropy_one_hot}: one-hot labels against logits. */
    public static CategoricalCrossentropy softmaxCrossEntropyOneHot() {
        return new CategoricalCrossentropy("softmax_cross_entropy_one_hot", true, 0);
    }

    /** {@code binary_crossentropy} against probabilities. */
    public static BinaryCrossentropy binaryCrossentropy() {
        return binaryCrossentropy(false);
    }

    /** {@code binary_crossentropy} with {@code from_logits} as given. */
    public static BinaryCrossentropy binaryCrossentropy(boolean fromLogits) {
        return new BinaryCrossentropy("binary_crossentropy", fromLogits);
    }

    /** {@code binary_crossentropy} with {@code from_logits} and {@code label_smoothing}. */
    public static BinaryCrossentropy binaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        return new BinaryCrossentropy("binary_crossentropy", fromLogits, labelSmoothing);
    }

    /** {@code cosine_similarity}: minus the cosine of labels and predictions over the last axis. */
    public static CosineSimilarity cosineSimilarity() {
        return new CosineSimilarity();
    }

    /** {@code negative_log_likelihood}: integer ids against log-probabilities. */
    public static NegativeLogLikelihood negativeLogLikelihood() {
        return new NegativeLogLikelihood("negative_log_likelihood");
    }

    /** {@code hinge}. */
    public static Hinge hinge() {
        return new Hinge("hinge");
    }

    /** {@code huber} with {@code delta} (Keras's default 1.0). */
    public static Huber huber(double delta) {
        return new Huber(delta);
    }

    /** {@code log_cosh}. */
    public static LogCosh logCosh() {
        return new LogCosh();
    }

    /** {@code poisson}. */
    public static Poisson poisson() {
        return new Poisson();
    }

    /** {@code kl_divergence}. */
    public static KlDivergence klDivergence() {
        return new KlDivergence();
    }

    /** {@code squared_hinge}. */
    public static SquaredHinge squaredHinge() {
        return new SquaredHinge("squared_hinge");
    }
}
