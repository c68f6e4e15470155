package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;
import java.util.Set;

/**
 * Keras's {@code precision} (true positives / predicted positives) and {@code recall} (true
 * positives / actual positives), counted over the whole epoch: each batch adds its true
 * positives, false positives and false negatives, and the value is computed from the epoch's
 * counts, as Keras's stateful metrics do (0 when nothing was predicted, or nothing was positive).
 *
 * <p>A prediction is positive when it is strictly above {@code thresholds} (a single number in
 * [0, 1], default 0.5; use 0 for logits); a label is positive when it is not 0. Every element
 * counts, so a (batch, classes) output is judged class by class (multi-label). Labels have the
 * predictions' shape, or are class ids (batch) or (batch, 1) against (batch, classes) scores,
 * which Lamina takes as one-hot rows (Keras wants the one-hot rows).
 *
 * <p>{@code top_k} (unset by default) keeps, in each row, only the {@code k} largest scores as
 * positive (ties to the lower index), and then only those above {@code thresholds} when it is
 * given. {@code class_id} (unset by default) counts only that column of (batch, classes)
 * outputs. Keras's list of thresholds (one value per threshold) is not taken: one number only.
 */
public record PrecisionRecall(String type, Double thresholds, Integer topK, Integer classId)
        implements MetricSpec {
    /** The names this metric goes by. */
    public static final Set<String> NAMES = Set.of("precision", "recall");

    public PrecisionRecall {
        if (!NAMES.contains(type)) {
            throw new SpecException(String.valueOf(type), "type", "expected one of " + NAMES);
        }
        if (thresholds != null && !(thresholds >= 0 && thresholds <= 1)) {
            throw new SpecException(type, "thresholds",
                    "expected a number in [0, 1], received thresholds=" + thresholds);
        }
        if (topK != null && topK < 1) {
            throw new SpecException(type, "top_k", "expected top_k >= 1, received top_k=" + topK);
        }
        if (classId != null && classId < 0) {
            throw new SpecException(type, "class_id",
                    "expected a class index >= 0, received class_id=" + classId);
        }
    }

    /** Keras's defaults: threshold 0.5, no top_k, every class. */
    public PrecisionRecall(String type) {
        this(type, null, null, null);
    }

    @Override
    public String name() {
        return type;
    }

    /** The threshold compared with: {@code thresholds}, else 0.5 (none with top_k alone). */
    double threshold() {
        return thresholds != null ? thresholds : 0.5;
    }

    /** {true positives, false positives, false negatives} of this batch. */
    @Override
    public double[] batchSums(NDArray labels, NDArray predictions) {
        return batchSumsArray(labels, predictions).toDoubleArray();
    }

    @Override
    public NDArray batchSumsArray(NDArray labels, NDArray predictions) {
        NDArray p = predictions.toType(DataType.FLOAT32, false);
        NDArray y = Confusion.truth(labels, p, type);
        NDArray positive;
        if (topK != null) {
            positive = Confusion.topK(p, topK);
            if (thresholds != null) {
                positive = positive.mul(p.gt(thresholds).toType(DataType.FLOAT32, false));
            }
        } else {
            positive = p.gt(threshold()).toType(DataType.FLOAT32, false);
        }
        if (classId != null) {
            Shape ps = p.getShape();
            long classes = ps.dimension() < 2 ? 1 : ps.get(ps.dimension() - 1);
            if (ps.dimension() < 2 || classId >= classes) {
                throw new IllegalArgumentException(type + ": class_id=" + classId + " needs"
                        + " predictions (batch, classes) with more than " + classId
                        + " classes, received predictions of shape " + ps);
            }
            NDIndex column = new NDIndex("..., " + classId);
            y = y.get(column);
            positive = positive.get(column);
        }
        NDArray tp = y.mul(positive).sum();
        NDArray fp = y.neg().add(1).mul(positive).sum();
        NDArray fn = y.mul(positive.neg().add(1)).sum();
        return Confusion.stack(tp, fp, fn);
    }

    /** precision tp / (tp + fp), recall tp / (tp + fn); 0 when the denominator is 0. */
    @Override
    public double result(double[] sums) {
        double tp = sums[0];
        return Confusion.divideNoNan(tp, tp + (type.equals("precision") ? sums[1] : sums[2]));
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("thresholds", thresholds, "top_k", topK, "class_id", classId);
    }
}
