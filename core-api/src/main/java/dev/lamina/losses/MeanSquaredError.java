package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * The quadratic cost: mean((predictions − labels)²) over every element. Named
 * {@code mean_squared_error} or {@code mse}.
 */
public record MeanSquaredError(String type) implements LossSpec {
    public MeanSquaredError {
        LossMath.checkType(type, "mean_squared_error", "mse");
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return predictions.sub(LossMath.align(labels, predictions, type)).square().mean(new int[] {-1});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
