package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import dev.lamina.engine.Constants;
import java.util.Map;

/**
 * Keras's {@code cosine_similarity} loss: labels and predictions are each scaled to unit length
 * over the last axis, {@code v · rsqrt(max(sum(v²), 1e-14))} (Keras's l2 normalisation, with its
 * epsilon 1e-7 squared, so a zero vector stays zero), and the loss is minus their dot product over
 * that axis (the per-sample losses; reduced by {@code reduction}, the mean by default): −1 when they point the same way, 0
 * when orthogonal, 1 when opposite. Labels of the predictions' shape (or the same number of
 * elements).
 */
public record CosineSimilarity() implements LossSpec {
    /** The type name in files. */
    public static final String TYPE = "cosine_similarity";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NDArray perSample(NDArray labels, NDArray predictions) {
        NDArray y = LossMath.align(labels, predictions, TYPE);
        int last = predictions.getShape().dimension() - 1;
        return unit(y, last).mul(unit(predictions, last)).sum(new int[] {last}).neg();
    }

    private static NDArray unit(NDArray v, int axis) {
        double eps = LossMath.EPSILON;
        return v.div(Constants.atLeast(v.square().sum(new int[] {axis}, true), (float) (eps * eps)).sqrt());
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
