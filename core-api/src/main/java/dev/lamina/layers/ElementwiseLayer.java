package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.LayerSpec;
import dev.lamina.spec.MaskRule;

/**
 * What layers that act on each value alone share ({@code activation}, {@code dropout},
 * {@code gaussian_noise}, {@code gaussian_dropout}): any input shape, the same shape out, and a
 * mask over time steps passes on, as in Keras.
 */
sealed interface ElementwiseLayer extends LayerSpec
        permits Activation, Dropout, GaussianNoise, GaussianDropout {
    @Override
    default Shape outputShape(Shape in) {
        return in;
    }

    @Override
    default MaskRule masking() {
        return MaskRule.PASSES;
    }
}
