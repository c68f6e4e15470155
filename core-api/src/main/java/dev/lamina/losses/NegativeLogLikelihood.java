package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Tensor;
import java.util.Map;

/**
 * −mean(logp[label]): predictions are log-probabilities of shape (batch, classes) (a model ending
 * in log-softmax), labels integer class ids of shape (batch) or (batch, 1). Named
 * {@code negative_log_likelihood} or {@code nll}.
 */
public record NegativeLogLikelihood(String type) implements LossSpec {
    public NegativeLogLikelihood {
        LossMath.checkType(type, "negative_log_likelihood", "nll");
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return LossMath.pick(labels, predictions, type).neg();
    }

    @Override
    public void checkLabels(Tensor labels, Shape output) {
        LossMath.checkClassIds(labels, output, type);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
