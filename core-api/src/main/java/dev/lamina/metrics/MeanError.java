package dev.lamina.metrics;

import ai.djl.ndarray.NDArray;
import dev.lamina.losses.LossMath;
import dev.lamina.spec.SpecException;
import java.util.Map;
import java.util.Set;

/**
 * The mean absolute ({@code mae} / {@code mean_absolute_error}) or squared ({@code mse} /
 * {@code mean_squared_error}) error over every element: a batch gives the element-wise sum and the
 * number of elements.
 */
public record MeanError(String type) implements MeanMetric {
    /** The names this metric goes by. */
    public static final Set<String> NAMES = Set.of("mae", "mean_absolute_error", "mse", "mean_squared_error");

    public MeanError {
        if (!NAMES.contains(type)) {
            throw new SpecException(String.valueOf(type), "type", "expected one of " + NAMES);
        }
    }

    /** True for the squared error. */
    public boolean squared() {
        return type.equals("mse") || type.equals("mean_squared_error");
    }

    @Override
    public String name() {
        return type;
    }

    @Override
    public NDArray batchTotal(NDArray labels, NDArray predictions) {
        NDArray d = predictions.sub(LossMath.align(labels, predictions, type));
        return (squared() ? d.square() : d.abs()).sum();
    }

    @Override
    public long batchCount(NDArray labels, NDArray predictions) {
        return predictions.size();
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
