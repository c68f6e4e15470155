package dev.lamina.losses;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.Spec;

/** A loss function (Keras names and semantics), computed with basic NDArray operations. */
public interface LossSpec extends Spec {
    /**
     * The mean loss over the batch, a scalar: {@code labels} as given by the data set (class ids as
     * a (batch) array for the integer-label losses), {@code predictions} as the model outputs them.
     */
    NDArray compute(NDArray labels, NDArray predictions);
}
