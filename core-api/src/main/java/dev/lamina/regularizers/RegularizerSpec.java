package dev.lamina.regularizers;

import ai.djl.ndarray.NDArray;
import dev.lamina.spec.Spec;

/** A penalty on a weight, added to the training loss (and so visible in the reported loss). */
public interface RegularizerSpec extends Spec {
    /** The scalar penalty for {@code weight}, differentiable with respect to it. */
    NDArray penalty(NDArray weight);
}
