package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Tensor;
import dev.lamina.spec.Spec;
import java.util.Map;

/**
 * Cross-entropy against integer class ids: labels of shape (batch) or (batch, 1) holding ids (in
 * any number type), predictions of shape (batch, classes); −mean(log p[label]).
 *
 * <p>{@code softmax_cross_entropy} takes logits by default ({@code from_logits: true}), as Lamina's
 * models output them; {@code sparse_categorical_crossentropy} takes probabilities by default, as in
 * Keras. From logits the log-softmax is computed stably (max + log Σ exp(x − max)); from
 * probabilities they are rescaled to sum to one and clipped to [1e-7, 1 − 1e-7] before the log.
 */
public record SoftmaxCrossEntropy(String type, boolean fromLogits) implements LossSpec {
    public SoftmaxCrossEntropy {
        LossMath.checkType(type, "softmax_cross_entropy", "sparse_categorical_crossentropy");
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return LossMath.pick(labels, LossMath.logProbabilities(predictions, fromLogits), type).neg();
    }

    @Override
    public void checkLabels(Tensor labels, Shape output) {
        LossMath.checkClassIds(labels, output, type);
    }

    @Override
    public Map<String, Object> config() {
        return Spec.ordered("from_logits", fromLogits);
    }
}
