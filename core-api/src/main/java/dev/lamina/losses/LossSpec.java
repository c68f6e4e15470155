package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lamina.data.Tensor;
import dev.lamina.spec.Spec;

/** A loss function (Keras names and semantics), computed with basic NDArray operations. */
public interface LossSpec extends Spec {
    /**
     * The mean loss over the batch, a scalar: {@code labels} as given by the data set (class ids as
     * a (batch) array for the integer-label losses), {@code predictions} as the model outputs them.
     */
    NDArray compute(NDArray labels, NDArray predictions);

    /**
     * Checks a whole label tensor once, before training or evaluation, in Java (so no batch pays a
     * device round trip): for example, class ids must be integers in [0, classes). {@code output}
     * is the model's per-sample output shape. By default every label is accepted.
     */
    default void checkLabels(Tensor labels, Shape output) {}
}
