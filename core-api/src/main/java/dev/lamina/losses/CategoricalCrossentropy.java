package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.Spec;
import dev.lamina.spec.SpecException;
import java.util.Map;

/**
 * Cross-entropy against one-hot (or soft) labels of the predictions' shape (batch, classes):
 * −mean(Σ y·log p). {@code categorical_crossentropy} takes probabilities by default (Keras);
 * {@code softmax_cross_entropy_one_hot} takes logits by default. {@code label_smoothing} s mixes
 * the labels with the uniform distribution: y·(1 − s) + s/classes.
 */
public record CategoricalCrossentropy(String type, boolean fromLogits, double labelSmoothing)
        implements LossSpec {
    public CategoricalCrossentropy {
        LossMath.checkType(type, "categorical_crossentropy", "softmax_cross_entropy_one_hot");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new SpecException(type, "label_smoothing",
                    "expected a number in [0, 1], received label_smoothing=" + labelSmoothing);
        }
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        int classes = LossMath.classes(predictions, type);
        if (!labels.getShape().equals(predictions.getShape())) {
            throw new IllegalArgumentException(type + ": expected one-hot labels of the predictions' shape "
                    + predictions.getShape() + ", received labels of shape " + labels.getShape()
                    + " (for integer class ids use sparse_categorical_crossentropy or softmax_cross_entropy)");
        }
        NDArray y = LossMath.align(labels, predictions, type);
        if (labelSmoothing > 0) {
            y = y.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        }
        NDArray logp = LossMath.logProbabilities(predictions, fromLogits);
        return y.mul(logp).sum(new int[] {-1}).neg();
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("from_logits", fromLogits, "label_smoothing", labelSmoothing);
    }
}
