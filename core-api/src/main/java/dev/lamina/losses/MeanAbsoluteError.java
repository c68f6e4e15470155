package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** mean(|predictions − labels|) over every element. Named {@code mean_absolute_error} or {@code mae}. */
public record MeanAbsoluteError(String type) implements LossSpec {
    public MeanAbsoluteError {
        LossMath.checkType(type, "mean_absolute_error", "mae");
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return predictions.sub(LossMath.align(labels, predictions, type)).abs().mean(new int[] {-1});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
