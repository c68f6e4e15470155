package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lamina.engine.Constants;
import java.util.Map;

/**
 * Keras's hinge loss, mean(max(1 − y·pred, 0)) over every element; labels that are all 0 or 1 are
 * first turned into −1 and 1 (labels already in {−1, 1} are used as given).
 */
public record Hinge(String type) implements LossSpec {
    public Hinge {
        LossMath.checkType(type, "hinge");
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        return margins(labels, predictions, type).mean(new int[] {-1});
    }

    /** max(1 − y·pred, 0) element-wise, with {0, 1} labels mapped to {−1, 1}. */
    static NDArray margins(NDArray labels, NDArray predictions, String who) {
        NDArray y = LossMath.align(labels, predictions, who);
        float binary = y.eq(0).logicalOr(y.eq(1)).toType(DataType.FLOAT32, false)
                .sum().getFloat();
        if (binary == y.size()) {
            y = y.mul(2).sub(1);
        }
        return Constants.atLeast(y.mul(predictions).neg().add(1), 0);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
