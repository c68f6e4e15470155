package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Keras's {@code poisson}: {@code predictions − labels·log(predictions + 1e-7)}, averaged over
 * every element; predictions are rates (>= 0), labels counts.
 */
public record Poisson() implements LossSpec {
    /** The type name in files. */
    public static final String TYPE = "poisson";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        NDArray y = LossMath.align(labels, predictions, TYPE);
        return predictions.sub(y.mul(predictions.add((float) LossMath.EPSILON).log())).mean(new int[] {-1});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
