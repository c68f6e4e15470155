package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Keras's {@code kl_divergence}: with labels and predictions clipped to [1e-7, 1], {@code
 * sum(labels·log(labels / predictions))} over the last axis, averaged over the samples (and any
 * other axes). Both are distributions over the last axis.
 */
public record KlDivergence() implements LossSpec {
    /** The type name in files. */
    public static final String TYPE = "kl_divergence";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        float eps = (float) LossMath.EPSILON;
        NDArray y = LossMath.align(labels, predictions, TYPE).clip(eps, 1f);
        NDArray p = predictions.clip(eps, 1f);
        int last = predictions.getShape().dimension() - 1;
        return y.mul(y.div(p).log()).sum(new int[] {last});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
