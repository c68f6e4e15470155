package dev.lamina.metrics;

import dev.lamina.spec.Catalog;
import dev.lamina.spec.ConfigNode;

/**
 * The metrics by Keras's names: {@code accuracy} / {@code acc}; {@code top_k_accuracy} /
 * {@code sparse_top_k_categorical_accuracy} / {@code top_k_categorical_accuracy} (setting {@code k},
 * default 5); {@code mae} / {@code mean_absolute_error}; {@code mse} / {@code mean_squared_error}.
 */
public final class Metrics {
    /** Name to parser. */
    public static final Catalog<MetricSpec> CATALOG = new Catalog<>("metric");

    static {
        for (String n : new String[] {"accuracy", "acc"}) {
            CATALOG.register(n, m -> new Accuracy(n));
        }
        for (String n : TopKAccuracy.NAMES) {
            CATALOG.register(n, m -> new TopKAccuracy(n, m.getInt("k", 5))).shorthand(n, "k");
        }
        for (String n : MeanError.NAMES) {
            CATALOG.register(n, m -> new MeanError(n));
        }
        for (String n : PrecisionRecall.NAMES) {
            CATALOG.register(n, m -> new PrecisionRecall(n, m.has("thresholds")
                    ? m.getDouble("thresholds", 0.5) : null,
                    m.has("top_k") ? m.getInt("top_k", 1) : null,
                    m.has("class_id") ? m.getInt("class_id", 0) : null));
        }
        CATALOG.register(Auc.TYPE, m -> new Auc(m.getInt("num_thresholds", 200),
                m.getString("curve", "ROC"), m.getString("summation_method", "interpolation"),
                m.getBoolean("from_logits", false)));
    }

    private Metrics() {}

    /** Parses a name or {@code {name: {settings}}}. */
    public static MetricSpec parse(ConfigNode node) {
        return CATALOG.parse(node);
    }

    /** A metric from a plain name or map as Java users write it ({@code "accuracy"}), or the spec itself. */
    public static MetricSpec of(Object nameOrMap) {
        return nameOrMap instanceof MetricSpec s ? s : CATALOG.parse(nameOrMap);
    }

    /** {@code accuracy}. */
    public static Accuracy accuracy() {
        return new Accuracy("accuracy");
    }

    /** {@code top_k_accuracy} with {@code k}. */
    public static TopKAccuracy topKAccuracy(int k) {
        return new TopKAccuracy("top_k_accuracy", k);
    }

    /** {@code mae}, the mean absolute error. */
    public static MeanError meanAbsoluteError() {
        return new MeanError("mae");
    }

    /** {@code precision} with Keras's defaults (threshold 0.5). */
    public static PrecisionRecall precision() {
        return new PrecisionRecall("precision");
    }

    /** {@code recall} with Keras's defaults (threshold 0.5). */
    public static PrecisionRecall recall() {
        return new PrecisionRecall("recall");
    }

    /** {@code auc} with Keras's defaults (200 thresholds, ROC, interpolation). */
    public static Auc auc() {
        return new Auc();
    }

    /** {@code mse}, the mean squared error. */
    public static MeanError meanSquaredError() {
        return new MeanError("mse");
    }
}
