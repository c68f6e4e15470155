package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** Keras's squared hinge loss, mean(max(1 − y·pred, 0)²), {0, 1} labels mapped to {−1, 1}. */
public record SquaredHinge(String type) implements LossSpec {
    public SquaredHinge {
        LossMath.checkType(type, "squared_hinge");
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return Hinge.margins(labels, predictions, type).square().mean(new int[] {-1});
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
