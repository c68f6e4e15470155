package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Tensor;
import dev.lamina.spec.Spec;

/** A loss function (Keras names and semantics), computed with basic NDArray operations. */
public interface LossSpec extends Spec {
    /**
     * The loss of each sample, Keras's {@code Loss.call}: the predictions' last axis is reduced, so
     * the result has the predictions' shape without it ((batch), or (batch, time) for a sequence
     * output). {@code labels} as given by the data set (class ids as a (batch) array for the
     * integer-label losses), {@code predictions} as the model outputs them.
     */
    NDArray perSample(NDArray labels, NDArray predictions);

    /**
     * The loss reduced by {@link #reduction()}: by default the mean of {@link #perSample} (Keras's
     * {@code sum_over_batch_size}), a scalar.
     */
    default NDArray compute(NDArray labels, NDArray predictions) {
        return reduction().apply(perSample(labels, predictions));
    }

    /** How {@link #compute} reduces the per-sample losses (default {@code sum_over_batch_size}). */
    default Reduction reduction() {
        return Reduction.SUM_OVER_BATCH_SIZE;
    }

    /**
     * This loss with reduction {@code reduction}: {@code sum_over_batch_size} (the mean, the
     * default), {@code sum} or {@code none} (the per-sample losses).
     */
    default LossSpec withReduction(Reduction reduction) {
        LossSpec plain = this instanceof Reduced r ? r.loss() : this;
        return reduction == Reduction.SUM_OVER_BATCH_SIZE ? plain : new Reduced(plain, reduction);
    }

    /**
     * Checks a whole label tensor once, before training or evaluation, in Java (so no batch pays a
     * device round trip): for example, class ids must be integers in [0, classes). {@code output}
     * is the model's per-sample output shape. By default every label is accepted.
     */
    default void checkLabels(Tensor labels, Shape output) {}
}
