package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lamina.losses.LossMath;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;
import java.util.Set;

/**
 * The fraction of samples whose true class is among the {@code k} largest scores (default 5).
 * Labels are class ids of shape (batch) or (batch, 1), or one-hot rows of the predictions' shape
 * (the true class is then the row's argmax). A sample counts when fewer than {@code k} scores are
 * strictly greater than the true class's score, so ties at the boundary count as in (as Keras's
 * {@code in_top_k} does). Named {@code top_k_accuracy}, {@code sparse_top_k_categorical_accuracy}
 * or {@code top_k_categorical_accuracy}.
 */
public record TopKAccuracy(String type, int k) implements MeanMetric {
    /** The names this metric goes by. */
    public static final Set<String> NAMES =
            Set.of("top_k_accuracy", "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy");

    public TopKAccuracy {
        if (!NAMES.contains(type)) {
            throw new SpecException(String.valueOf(type), "type", "expected one of " + NAMES);
        }
        if (k < 1) {
            throw new SpecException(type, "k", "expected k >= 1, received k=" + k);
        }
    }

    /** {@code top_k_accuracy} with {@code k}. */
    public TopKAccuracy(int k) {
        this("top_k_accuracy", k);
    }

    @Override
    public String name() {
        return type;
    }

    @Override
    public NDArray batchTotal(NDArray labels, NDArray predictions) {
        Shape ps = predictions.getShape();
        LossMath.classes(predictions, type); // refuses predictions without a class axis
        int axis = ps.dimension() - 1;
        NDArray scores = predictions.toType(DataType.FLOAT32, false);
        NDArray hot;
        if (labels.getShape().equals(ps)) {
            NDArray ids = labels.argMax(axis);
            hot = LossMath.oneHot(ids, scores, type);
        } else {
            hot = LossMath.oneHot(labels, scores, type);
        }
        NDArray truthScore = hot.mul(scores).sum(new int[] {axis}, true);
        NDArray above = scores.gt(truthScore).toType(DataType.FLOAT32, false).sum(new int[] {axis});
        return above.lt(k).toType(DataType.FLOAT32, false).sum();
    }

    @Override
    public long batchCount(NDArray labels, NDArray predictions) {
        Shape ps = predictions.getShape();
        return predictions.size() / ps.get(ps.dimension() - 1);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("k", k);
    }
}
