package dev.lamina.layers;

import ai.djl.ndarray.types.Shape;
import dev.lamina.spec.LayerSpec;

/**
 * What the augmentation layers that keep an image's shape share: input (channels, height,
 * width) per sample, refused otherwise, and the same shape out.
 */
sealed interface ImageAugmentation extends LayerSpec permits RandomFlip, RandomRotation,
        RandomTranslation, RandomZoom, RandomContrast, RandomBrightness {
    @Override
    default Shape outputShape(Shape in) {
        Augment.requireImage(in);
        return in;
    }
}
